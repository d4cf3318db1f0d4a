namespace EdgeLM.Kernels.Formats;

/// <summary>Argument checks shared by the per-type (de)quantizers; messages name the type and the sizes.</summary>
internal static class BlockChecks
{
    public static void Elements(string type, int blockSize, int blocks, int elements)
    {
        if (elements != blocks * blockSize)
        {
            throw new ArgumentException($"{type}: {blocks} blocks of {blockSize} hold {blocks * blockSize} values, but the float span has {elements}");
        }
    }
}
