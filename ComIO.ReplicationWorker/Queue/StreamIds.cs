using System.Globalization;

namespace ComIO.ReplicationWorker.Queue;

/// <summary>Redis stream ids (<c>milliseconds-sequence</c>).</summary>
public static class StreamIds
{
    /// <summary>The Unix-millisecond part of <paramref name="id"/> as a time, or <c>null</c> when it has none.</summary>
    public static DateTimeOffset? TimeOf(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var millisecondsText = dash < 0 ? id.AsSpan() : id.AsSpan(0, dash);
        return long.TryParse(millisecondsText, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
               && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
    }
}
