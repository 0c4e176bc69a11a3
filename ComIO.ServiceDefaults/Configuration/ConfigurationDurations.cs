using System.Globalization;

namespace ComIO.ServiceDefaults.Configuration;

/// <summary>
/// Durations in the configuration file: Go style (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>), plain seconds
/// (<c>30</c>) or .NET <c>hh:mm:ss</c>; never negative. Used by the file validator and by <c>comio server</c>.
/// </summary>
public static class ConfigurationDurations
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> whose message starts with <paramref name="key"/>.</summary>
    public static TimeSpan Parse(string key, string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"{key}: {error}");

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why (without a key).</summary>
    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "empty duration";
            return false;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            value = span;
            return true;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < trimmed.Length)
        {
            var start = i;
            while (i < trimmed.Length && (char.IsAsciiDigit(trimmed[i]) || trimmed[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < trimmed.Length && char.IsAsciiLetter(trimmed[i]))
            {
                i++;
            }

            if (start == unitStart || unitStart == i
                || !double.TryParse(trimmed.AsSpan(start, unitStart - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"'{text}' is not a duration (examples: 30s, 5m, 1h30m, 250ms)";
                return false;
            }

            switch (trimmed[unitStart..i])
            {
                case "ms": total += TimeSpan.FromMilliseconds(amount); break;
                case "s": total += TimeSpan.FromSeconds(amount); break;
                case "m": total += TimeSpan.FromMinutes(amount); break;
                case "h": total += TimeSpan.FromHours(amount); break;
                case var unit:
                    error = $"unknown duration unit '{unit}' in '{text}' (use ms, s, m or h)";
                    return false;
            }
        }

        value = total;
        return true;
    }
}
