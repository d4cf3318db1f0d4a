using EdgeLM.Kernels.Threading;

namespace EdgeLM.Kernels.Tests.MatMul;

public sealed unsafe class WorkerPoolTests
{
    private static void MarkItems(nint context, int start, int end)
    {
        int* hits = (int*)context;
        for (int i = start; i < end; i++)
            Interlocked.Increment(ref hits[i]);
    }

    private static void Fail(nint context, int start, int end)
    {
        if (start <= 50 && 50 < end)
            throw new InvalidOperationException("item 50 failed");
    }

    [Fact]
    public void Every_item_is_processed_exactly_once_over_many_jobs()
    {
        using var pool = new WorkerPool(3, TimeSpan.FromMicroseconds(50));
        var hits = new int[1000];
        fixed (int* h = hits)
        {
            for (int job = 0; job < 300; job++)
            {
                int count = 1 + job * 7 % 1000;
                pool.Run(&MarkItems, (nint)h, count, 1 + job % 13);
                // let workers fall asleep now and then, to cover the blocking wake-up path
                if (job % 50 == 0)
                    Thread.Sleep(5);
            }
        }
        var expected = new int[1000];
        for (int job = 0; job < 300; job++)
            for (int i = 0; i < 1 + job * 7 % 1000; i++)
                expected[i]++;
        Assert.Equal(expected, hits);
    }

    [Fact]
    public void An_exception_in_a_chunk_reaches_the_caller_and_the_pool_keeps_working()
    {
        using var pool = new WorkerPool(2);
        var ex = Assert.Throws<AggregateException>(() => pool.Run(&Fail, 0, 200, 4));
        Assert.Contains("item 50 failed", ex.InnerException!.Message);
        var hits = new int[64];
        fixed (int* h = hits)
            pool.Run(&MarkItems, (nint)h, 64, 4);
        Assert.All(hits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void A_pool_needs_at_least_one_thread()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(0));
    }
}
