namespace EdgeLM.Inference.Scheduling;

/// <summary>A moment's view of the scheduler for metrics and health: slots, queue and KV-cache use.</summary>
public sealed record SchedulerSnapshot(int Slots, int BusySlots, int Queued, long CachedTokens, long CapacityTokens, long Steps);
