using System.Buffers.Binary;
using System.Text;

namespace EdgeLM.Gguf.Tests.Support;

/// <summary>
/// Damages GGUF seeds the ways real files get damaged and the ways attackers damage them: flipped bits, random
/// bytes, truncation, splices of other files, and, most effective, aimed edits of the counts, lengths, types,
/// dimensions and offsets recorded in the seed's <see cref="GgufLayoutMap"/>, and duplicated or dropped sections.
/// </summary>
public sealed class GgufMutator(Random random, IReadOnlyList<GgufSeed> seeds)
{
    private readonly Random _random = random;
    private readonly IReadOnlyList<GgufSeed> _seeds = seeds;

    /// <summary>Values that sit on the edges parsers get wrong.</summary>
    private static readonly ulong[] s_interesting =
    [
        0, 1, 2, 3, 4, 7, 8, 12, 13, 16, 24, 31, 32, 33, 63, 64, 127, 128, 255, 256, 4096, 65535, 65536,
        int.MaxValue, (ulong)int.MaxValue + 1, uint.MaxValue, (ulong)uint.MaxValue + 1, long.MaxValue, (ulong)long.MaxValue + 1,
        ulong.MaxValue, ulong.MaxValue - 1, ulong.MaxValue / 8, 1UL << 40, 1UL << 56,
    ];

    /// <summary>A damaged copy of a seed, and a description of what was done to it (for reproducing a failure).</summary>
    public (byte[] Input, string Log) Next(GgufSeed seed)
    {
        byte[] data = seed.Bytes;
        var log = new StringBuilder(seed.Name);
        int edits = 1 + _random.Next(3);
        bool copied = false;
        for (int e = 0; e < edits; e++)
        {
            int op = _random.Next(100);
            // Structural edits use the seed's map; after an edit that moves bytes the map is stale, which only
            // makes later edits land on neighbouring fields: still useful damage.
            if (op < 40)
                data = EditField(data, seed.Map, ref copied, log);
            else if (op < 52)
                data = FlipBits(data, ref copied, log);
            else if (op < 62)
                data = RandomBytes(data, ref copied, log);
            else if (op < 72)
                data = Truncate(data, seed.Map, log);
            else if (op < 82)
                data = Splice(data, log);
            else if (op < 92)
                data = DuplicateSection(data, seed.Map, log);
            else
                data = DropSection(data, seed.Map, log);
        }
        return (copied || !ReferenceEquals(data, seed.Bytes) ? data : (byte[])data.Clone(), log.ToString());
    }

    private byte[] Writable(byte[] data, ref bool copied)
    {
        if (copied)
            return data;
        copied = true;
        return (byte[])data.Clone();
    }

    private byte[] EditField(byte[] data, GgufLayoutMap map, ref bool copied, StringBuilder log)
    {
        var f = map.Fields[_random.Next(map.Fields.Count)];
        if (f.Offset + f.Size > data.Length || f.Size is not (1 or 2 or 4 or 8))
            return data;
        ulong old = f.Size switch
        {
            1 => data[f.Offset],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(f.Offset)),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(f.Offset)),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(f.Offset)),
        };
        ulong value = f.Kind switch
        {
            GgufFieldKind.ValueType or GgufFieldKind.TensorType or GgufFieldKind.DimensionCount
                when _random.Next(4) != 0 => (ulong)_random.Next(45),
            GgufFieldKind.Count or GgufFieldKind.StringLength or GgufFieldKind.Dimension or GgufFieldKind.TensorOffset => _random.Next(6) switch
            {
                0 => old + 1,
                1 => old - 1,
                2 => old * 2,
                3 => old + (ulong)data.Length,
                4 => (ulong)_random.NextInt64(),
                _ => s_interesting[_random.Next(s_interesting.Length)],
            },
            _ => _random.Next(2) == 0 ? s_interesting[_random.Next(s_interesting.Length)] : (ulong)_random.NextInt64(),
        };
        data = Writable(data, ref copied);
        var span = data.AsSpan(f.Offset);
        switch (f.Size)
        {
            case 1: span[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(span, value); break;
        }
        log.Append($" | set {f.Name}@{f.Offset} {old}->{value}");
        return data;
    }

    private int HeaderBiasedOffset(int length) =>
        // Most damage goes into the first 64 KiB, where every header field of the seeds lies.
        _random.Next(4) == 0 ? _random.Next(length) : _random.Next(Math.Min(length, 65536));

    private byte[] FlipBits(byte[] data, ref bool copied, StringBuilder log)
    {
        if (data.Length == 0)
            return data;
        data = Writable(data, ref copied);
        int n = 1 + _random.Next(4);
        for (int i = 0; i < n; i++)
        {
            int at = HeaderBiasedOffset(data.Length);
            int bit = _random.Next(8);
            data[at] ^= (byte)(1 << bit);
            log.Append($" | flip {at}.{bit}");
        }
        return data;
    }

    private byte[] RandomBytes(byte[] data, ref bool copied, StringBuilder log)
    {
        if (data.Length == 0)
            return data;
        data = Writable(data, ref copied);
        int at = HeaderBiasedOffset(data.Length);
        int n = Math.Min(1 + _random.Next(16), data.Length - at);
        _random.NextBytes(data.AsSpan(at, n));
        log.Append($" | random {n}@{at}");
        return data;
    }

    private byte[] Truncate(byte[] data, GgufLayoutMap map, StringBuilder log)
    {
        // Half the cuts land exactly on or beside a field boundary, where off-by-one errors live.
        int n;
        if (_random.Next(2) == 0 && map.Fields.Count > 0)
        {
            var f = map.Fields[_random.Next(map.Fields.Count)];
            n = Math.Clamp(f.Offset + _random.Next(-1, f.Size + 1), 0, data.Length);
        }
        else
            n = _random.Next(data.Length + 1);
        log.Append($" | truncate {n}");
        return data.AsSpan(0, n).ToArray();
    }

    private byte[] Splice(byte[] data, StringBuilder log)
    {
        var other = _seeds[_random.Next(_seeds.Count)].Bytes;
        int from = HeaderBiasedOffset(other.Length);
        int n = Math.Min(1 + _random.Next(256), other.Length - from);
        int at = HeaderBiasedOffset(Math.Max(1, data.Length));
        at = Math.Min(at, data.Length);
        bool insert = _random.Next(2) == 0;
        log.Append($" | splice {(insert ? "insert" : "overwrite")} {n}@{at} from {from}");
        if (insert)
            return [.. data.AsSpan(0, at), .. other.AsSpan(from, n), .. data.AsSpan(at)];
        var copy = (byte[])data.Clone();
        other.AsSpan(from, Math.Min(n, copy.Length - at)).CopyTo(copy.AsSpan(at));
        return copy;
    }

    private byte[] DuplicateSection(byte[] data, GgufLayoutMap map, StringBuilder log)
    {
        if (map.Sections.Count == 0)
            return data;
        var s = map.Sections[_random.Next(map.Sections.Count)];
        if (s.End > data.Length)
            return data;
        int at = _random.Next(2) == 0 ? s.End : map.Sections[_random.Next(map.Sections.Count)].Start;
        at = Math.Min(at, data.Length);
        var result = (byte[])[.. data.AsSpan(0, at), .. data.AsSpan(s.Start, s.End - s.Start), .. data.AsSpan(at)];
        // Usually keep the count in step, so the parser meets the duplicate rather than a count mismatch.
        if (_random.Next(4) != 0)
            BumpCount(result, s.IsTensorInfo ? 8 : 16, +1);
        log.Append($" | duplicate '{s.Name}' [{s.Start},{s.End}) at {at}");
        return result;
    }

    private byte[] DropSection(byte[] data, GgufLayoutMap map, StringBuilder log)
    {
        if (map.Sections.Count == 0)
            return data;
        var s = map.Sections[_random.Next(map.Sections.Count)];
        if (s.End > data.Length)
            return data;
        var result = (byte[])[.. data.AsSpan(0, s.Start), .. data.AsSpan(s.End)];
        if (_random.Next(4) != 0)
            BumpCount(result, s.IsTensorInfo ? 8 : 16, -1);
        log.Append($" | drop '{s.Name}' [{s.Start},{s.End})");
        return result;
    }

    private static void BumpCount(byte[] data, int offset, int delta)
    {
        if (data.Length < offset + 8)
            return;
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(offset));
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(offset), n + (ulong)(long)delta);
    }
}
