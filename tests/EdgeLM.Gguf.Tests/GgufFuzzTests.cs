using System.Globalization;
using EdgeLM.Gguf.Tests.Support;
using EdgeLM.TestSupport;

namespace EdgeLM.Gguf.Tests;

/// <summary>
/// Damaged real files either parse into a self-consistent header or throw <see cref="GgufFormatException"/>:
/// never another exception, never an allocation out of proportion to the input.
/// EDGELM_FUZZ_ITERATIONS sets the number of inputs (default 20,000); EDGELM_FUZZ_SEED replays a run.
/// </summary>
public sealed class GgufFuzzTests
{
    private const int DefaultIterations = 20_000;
    private const int DefaultSeed = 20261122;

    /// <summary>
    /// Allocation allowed per input byte. The worst legitimate ratio is an array of empty nested arrays: 12 input
    /// bytes become a GgufValue, an empty .NET array and a slot in the parent (about 90 bytes).
    /// </summary>
    private const long AllocationPerInputByte = 16;
    private const long AllocationBase = 256 * 1024;

    [Fact]
    public void Mutated_real_files_parse_or_throw_a_format_exception()
    {
        int iterations = EnvInt("EDGELM_FUZZ_ITERATIONS", DefaultIterations);
        int seed = EnvInt("EDGELM_FUZZ_SEED", DefaultSeed);
        TestContext.Current.TestOutputHelper?.WriteLine($"GGUF fuzz: seed {seed} (EDGELM_FUZZ_SEED), {iterations} inputs (EDGELM_FUZZ_ITERATIONS)");

        var seeds = GgufFuzzCorpus.Seeds;
        var random = new Random(seed);
        var mutator = new GgufMutator(random, seeds);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < iterations; i++)
        {
            // The one whole real file is 600 KB: give it 1 input in 50 so the run stays short.
            var source = i % 50 == 49 ? seeds[^1] : seeds[i % (seeds.Count - 1)];
            var (input, log) = mutator.Next(source);
            string? failure = Check(input, out bool ok);
            if (failure is not null)
            {
                string saved = Path.Combine(Path.GetTempPath(), $"edgelm-gguf-fuzz-{seed}-{i}.gguf");
                File.WriteAllBytes(saved, input);
                Assert.Fail($"seed {seed}, input {i}: {failure}\nmutations: {log}\ninput saved to {saved}");
            }
            if (ok) parsed++; else rejected++;
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{parsed} parsed, {rejected} rejected");
        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        Assert.True(parsed > iterations / 100, $"only {parsed} of {iterations} damaged inputs parsed");
        Assert.True(rejected > iterations / 2, $"only {rejected} of {iterations} damaged inputs were rejected");
    }

    [Fact]
    public void The_seeds_themselves_parse()
    {
        foreach (var seed in GgufFuzzCorpus.Seeds)
            Assert.Null(Check(seed.Bytes, out _));
    }

    [Fact]
    public void Truncating_a_real_model_at_every_field_boundary_throws_a_format_exception()
    {
        byte[] file = File.ReadAllBytes(TestData.Models("tiny-llama-Q2_K.gguf"));
        var map = GgufLayoutMap.Of(file);
        Assert.True(map.Fields.Count > 4000); // every token string's length is a field
        foreach (var f in map.Fields)
        {
            foreach (int n in new[] { f.Offset, f.Offset + f.Size / 2 })
            {
                var e = Assert.Throws<GgufFormatException>(() => GgufReader.Parse(file.AsSpan(0, n)));
                Assert.InRange(e.Offset, 0, n);
            }
        }
        // Cut inside the tensor data: the header is complete but the data is not.
        var cut = Assert.Throws<GgufFormatException>(() => GgufReader.Parse(file.AsSpan(0, file.Length - 100)));
        Assert.EndsWith("offset", cut.Field);
    }

    /// <summary>Null when the input was handled correctly; otherwise what went wrong.</summary>
    private static string? Check(byte[] input, out bool parsed)
    {
        parsed = false;
        long before = GC.GetAllocatedBytesForCurrentThread();
        GgufHeader header;
        try
        {
            header = GgufReader.Parse(input);
        }
        catch (GgufFormatException e)
        {
            long rejectedAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (rejectedAllocated > AllocationBase + AllocationPerInputByte * input.Length)
                return $"rejecting {input.Length} bytes allocated {rejectedAllocated} bytes";
            if (e.Offset < 0 || e.Offset > input.Length)
                return $"exception offset {e.Offset} is outside the {input.Length}-byte input: {e.Message}";
            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name} instead of GgufFormatException: {e}";
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > AllocationBase + AllocationPerInputByte * input.Length)
            return $"parsing {input.Length} bytes allocated {allocated} bytes";
        parsed = true;
        return CheckConsistent(header, input.Length);
    }

    /// <summary>What a successful parse promises its users: every tensor view lies inside the file, apart from the others.</summary>
    private static string? CheckConsistent(GgufHeader header, long length)
    {
        if (header.DataOffset % header.Alignment != 0)
            return $"data offset {header.DataOffset} is not aligned to {header.Alignment}";
        long end = 0;
        foreach (var t in header.Tensors.Where(t => t.ByteSize > 0).OrderBy(t => t.Offset))
        {
            if (t.Offset < end)
                return $"tensor '{t.Name}' overlaps its predecessor";
            end = t.Offset + t.ByteSize;
            if (header.DataOffset + end > length)
                return $"tensor '{t.Name}' ends at {header.DataOffset + end}, past the {length}-byte file";
        }
        return null;
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;
}
