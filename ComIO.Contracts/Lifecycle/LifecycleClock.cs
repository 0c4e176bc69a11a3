namespace ComIO.Contracts.Lifecycle;

/// <summary>Day arithmetic of lifecycle rules (AWS: "days are counted from the event rounded to the next midnight UTC").</summary>
public static class LifecycleClock
{
    /// <summary>
    /// <paramref name="start"/> + <paramref name="days"/>, rounded up to the following midnight UTC (a time exactly at
    /// midnight also moves to the next one, as S3 counts whole days after the event's day). E.g. 2014-01-15 10:30 + 3 days
    /// = 2014-01-19 00:00 UTC.
    /// </summary>
    public static DateTimeOffset NextMidnightAfter(DateTimeOffset start, int days)
    {
        var shifted = start.ToUniversalTime().AddDays(days);
        return new DateTimeOffset(shifted.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
    }
}
