using System.Globalization;

namespace ComIO.Cli.Output;

/// <summary>Human-readable byte sizes.</summary>
public static class Sizes
{
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>Parses a byte count with an optional K/M/G/T suffix (powers of 1024, optional trailing <c>B</c>/<c>iB</c>).</summary>
    public static long Parse(string text, string option)
    {
        var value = text.Trim();
        foreach (var suffix in new[] { "iB", "B" })
        {
            if (value.Length > suffix.Length && value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                value = value[..^suffix.Length];
                break;
            }
        }

        var multiplier = value.Length == 0 ? 1 : char.ToUpperInvariant(value[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 1L,
        };
        var digits = multiplier == 1 ? value : value[..^1];
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw new CliException($"{option}: invalid size '{text}' (e.g. 512K, 20M, 1G)", ExitCodes.Usage);
        }

        return Math.Max(1, (long)(number * multiplier));
    }
}
