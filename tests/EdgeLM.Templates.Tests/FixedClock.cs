namespace EdgeLM.Templates.Tests;

/// <summary>The clock the expected outputs were made with: 2026-01-15 13:45:00, no time zone.</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly FixedClock Instance = new();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(2026, 1, 15, 13, 45, 0, TimeSpan.Zero);
}
