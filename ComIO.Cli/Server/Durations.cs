using System.Globalization;

namespace ComIO.Cli.Server;

/// <summary>
/// Parses the configuration file's durations: Go style (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>), plain seconds
/// (<c>30</c>) or .NET <c>hh:mm:ss</c>. Errors name the configuration key.
/// </summary>
public static class Durations
{
    public static TimeSpan Parse(string key, string text)
    {
        var value = text.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < value.Length)
        {
            var start = i;
            while (i < value.Length && (char.IsAsciiDigit(value[i]) || value[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < value.Length && char.IsAsciiLetter(value[i]))
            {
                i++;
            }

            if (start == unitStart || unitStart == i
                || !double.TryParse(value.AsSpan(start, unitStart - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                throw new FormatException($"{key}: '{text}' is not a duration (examples: 30s, 5m, 1h30m, 250ms)");
            }

            total += value[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                var unit => throw new FormatException($"{key}: unknown duration unit '{unit}' in '{text}' (use ms, s, m or h)"),
            };
        }

        return value.Length == 0 ? throw new FormatException($"{key}: empty duration") : total;
    }
}
