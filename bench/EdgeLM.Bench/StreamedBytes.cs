using BenchmarkDotNet.Running;
using EdgeLM.Gguf;

namespace EdgeLM.Bench;

/// <summary>Bytes one operation of a benchmark case reads, from its parameters.</summary>
internal static class StreamedBytes
{
    public static long Of(BenchmarkCase c)
    {
        object? Param(string name) => c.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;
        if (Param("Type") is GgmlType type && Param("Rows") is int rows)
        {
            int cols = Param("Cols") is int cc ? cc : MatVecBenchmarks.Cols;
            return rows * GgmlTypes.Info(type).RowBytes(cols);
        }
        if (Param("Megabytes") is int mb)
            return (long)mb << 20;
        return -1;
    }
}
