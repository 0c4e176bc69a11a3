using System.Globalization;

namespace ComIO.ServiceDefaults.Configuration;

/// <summary>The value kinds of the configuration file's schema; each message says what is expected.</summary>
internal static class ConfigurationValues
{
    public static ValueNode Text { get; } = new("a text value", _ => null);

    public static ValueNode Bool { get; } = new("true or false", text =>
        bool.TryParse(text, out _) ? null : $"'{text}' is not true or false");

    public static ValueNode Port { get; } = Int(0, 65535, "a TCP port (0-65535)");

    public static ValueNode Duration { get; } = new("a duration (30s, 5m, 1h30m, 250ms)", text =>
        ConfigurationDurations.TryParse(text, out _, out var error) ? null : error);

    /// <summary>An absolute http(s) URL.</summary>
    public static ValueNode Url { get; } = new("an http(s) URL", text =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"'{text}' is not an absolute http:// or https:// URL");

    /// <summary>A power of two between 512 and 65536 (block sizes).</summary>
    public static ValueNode BlockSize { get; } = new("a power of two between 512 and 65536", text =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 512 and <= 65536 && int.IsPow2(value)
            ? null
            : $"'{text}' is not a power of two between 512 and 65536");

    /// <summary>Lower-case letters, digits and hyphens (site names prefix resource names).</summary>
    public static ValueNode Name { get; } = new("a name of lower-case letters, digits and hyphens", text =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && text[0] != '-'
            ? null
            : $"'{text}' is not a valid name (lower-case letters, digits and hyphens)");

    /// <summary>Base64 of exactly 32 bytes (an AES-256 key).</summary>
    public static ValueNode Key256 { get; } = new("base64 of 32 bytes", text =>
    {
        var buffer = new byte[48];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) && written == 32
            ? null
            : "not base64 of 32 bytes (generate one with: openssl rand -base64 32)";
    });

    public static ValueNode Int(int min, int max, string? expected = null)
    {
        expected ??= max == int.MaxValue ? $"a whole number >= {min}" : $"a whole number from {min} to {max}";
        return new ValueNode(expected, text =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? null
                : $"'{text}' is not {expected}");
    }

    public static ValueNode Long(long min, string? expected = null)
    {
        expected ??= $"a whole number >= {min}";
        return new ValueNode(expected, text =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min
                ? null
                : $"'{text}' is not {expected}");
    }

    public static ValueNode NonNegativeNumber { get; } = new("a number >= 0", text =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? null
            : $"'{text}' is not a number >= 0");

    /// <summary>One of <paramref name="allowed"/>, exactly as written (the services compare case-sensitively).</summary>
    public static ValueNode OneOf(params string[] allowed)
    {
        var list = allowed.Length == 2 ? $"'{allowed[0]}' or '{allowed[1]}'" : string.Join(", ", allowed.Select(a => $"'{a}'"));
        return new ValueNode($"one of {list}", text =>
            allowed.Contains(text, StringComparer.Ordinal) ? null : $"'{text}' is not valid; use {list}");
    }

    /// <summary>One of <paramref name="allowed"/>, ignoring case; the message lists <paramref name="shown"/>.</summary>
    public static ValueNode OneOfIgnoringCase(string shown, params string[] allowed) =>
        new($"one of {shown}", text =>
            allowed.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase) ? null : $"'{text}' is not one of {shown}");
}
