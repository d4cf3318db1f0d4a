using System.Diagnostics;

namespace EdgeLM.Kernels.Threading;

/// <summary>
/// A fixed set of threads that split one job at a time by item ranges (matmul rows). Threads are created once;
/// a job is published by bumping a generation counter, so running one allocates nothing. The calling thread
/// works too. Idle workers spin for <see cref="SpinTime"/> before blocking, because at token-generation time
/// matmuls arrive microseconds apart and a kernel wake-up would cost more than the matmul.
/// One caller at a time: <see cref="Run"/> is not re-entrant.
/// </summary>
public sealed unsafe class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly object _sleepLock = new();
    private readonly long _spinTicks;
    private volatile bool _disposed;
    private int _generation;
    private int _sleepers;
    private int _running;

    private delegate*<nint, int, int, void> _work;
    private nint _context;
    private int _itemCount;
    private int _grain;
    private int _nextItem;
    private int _pending;
    private Exception? _failure;

    /// <param name="threadCount">Threads working on a job, the caller included (1 = the caller alone).</param>
    /// <param name="spinTime">How long an idle worker polls for the next job before it blocks.</param>
    public WorkerPool(int threadCount, TimeSpan? spinTime = null)
    {
        if (threadCount < 1)
            throw new ArgumentOutOfRangeException(nameof(threadCount), threadCount, "a worker pool needs at least the calling thread");
        SpinTime = spinTime ?? TimeSpan.FromMicroseconds(200);
        _spinTicks = (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
        ThreadCount = threadCount;
        _threads = new Thread[threadCount - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"EdgeLM worker {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that work on a job, the caller included.</summary>
    public int ThreadCount { get; }

    public TimeSpan SpinTime { get; }

    /// <summary>
    /// Runs <paramref name="work"/>(context, start, end) over [0, itemCount) in chunks of <paramref name="grain"/>
    /// items claimed dynamically by all threads; returns when every chunk is done. The first exception thrown by a
    /// chunk is rethrown here (wrapped) after all threads stopped.
    /// </summary>
    public void Run(delegate*<nint, int, int, void> work, nint context, int itemCount, int grain)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(grain, 1);
        if (itemCount == 0)
            return;
        if (_threads.Length == 0 || itemCount <= grain)
        {
            work(context, 0, itemCount);
            return;
        }
        if (Interlocked.Exchange(ref _running, 1) != 0)
            throw new InvalidOperationException("WorkerPool.Run was called while another job was running (one caller at a time)");
        try
        {
            _work = work;
            _context = context;
            _itemCount = itemCount;
            _grain = grain;
            _nextItem = 0;
            _failure = null;
            _pending = _threads.Length;
            // The increment is a full fence: the job fields above are visible before a worker sees the new generation.
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_sleepLock)
                    Monitor.PulseAll(_sleepLock);
            }
            RunChunks();
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0)
                spin.SpinOnce(sleep1Threshold: -1);
            if (_failure is { } failure)
                throw new AggregateException("a worker pool job failed", failure);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void RunChunks()
    {
        int grain = _grain, count = _itemCount;
        while (true)
        {
            int start = Interlocked.Add(ref _nextItem, grain) - grain;
            if (start >= count)
                return;
            try
            {
                _work(_context, start, Math.Min(start + grain, count));
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
        }
    }

    private void WorkerLoop()
    {
        int seen = 0;
        while (true)
        {
            long spinUntil = Stopwatch.GetTimestamp() + _spinTicks;
            while (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                // Announce sleeping before the last check; Run bumps the generation before reading _sleepers,
                // so either this thread sees the new job or Run sees a sleeper and pulses under the lock.
                Interlocked.Increment(ref _sleepers);
                lock (_sleepLock)
                {
                    while (Volatile.Read(ref _generation) == seen && !_disposed)
                        Monitor.Wait(_sleepLock);
                }
                Interlocked.Decrement(ref _sleepers);
            }
            if (_disposed)
                return;
            // Run waits for every worker before publishing the next job, so no generation is skipped.
            seen++;
            RunChunks();
            Interlocked.Decrement(ref _pending);
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        lock (_sleepLock)
            Monitor.PulseAll(_sleepLock);
        foreach (var t in _threads)
            t.Join();
    }
}
