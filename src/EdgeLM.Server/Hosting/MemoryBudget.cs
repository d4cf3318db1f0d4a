namespace EdgeLM.Server.Hosting;

/// <summary>
/// Memory a model needs before it is loaded: its mapped weights (the file size, read on first use) plus the KV
/// cache of every slot. Compared with the kernel's MemAvailable so a model that cannot fit is refused with a
/// message instead of being killed by the OOM killer mid-request.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Bytes available to new allocations, or null when the platform does not say (/proc/meminfo).</summary>
    public static long? Available()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    public static void Check(string name, long weightBytes, long kvBytes, int slots, int context)
    {
        long need = weightBytes + kvBytes;
        if (Available() is long available && need > available)
            throw new InsufficientMemoryException(
                $"model '{name}' needs {Mib(need)} MiB ({Mib(weightBytes)} MiB weights + {Mib(kvBytes)} MiB KV cache for {slots} slots × {context} tokens) " +
                $"but only {Mib(available)} MiB are available; lower --parallel or -c");
    }

    public static long Mib(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
