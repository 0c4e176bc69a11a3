using System.Text;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// AWS SigV4 text rules: URI encoding (RFC 3986 unreserved characters kept, everything else <c>%XX</c> upper-case over UTF-8),
/// percent-decoding, canonical query strings and header value normalisation. Pure functions, thread-safe.
/// </summary>
internal static class SigV4Encoding
{
    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>True for the characters SigV4 never encodes: <c>A-Z a-z 0-9 - _ . ~</c>.</summary>
    public static bool IsUnreserved(byte b)
        => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    /// <summary>Appends <paramref name="utf8"/> URI-encoded by AWS rules; '/' is kept when <paramref name="encodeSlash"/> is false.</summary>
    public static void AppendUriEncoded(StringBuilder builder, ReadOnlySpan<byte> utf8, bool encodeSlash)
    {
        foreach (var b in utf8)
        {
            if (IsUnreserved(b) || (b == (byte)'/' && !encodeSlash))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
            }
        }
    }

    /// <summary>URI-encodes a string (UTF-8) by AWS rules.</summary>
    public static string UriEncode(string value, bool encodeSlash)
    {
        var builder = new StringBuilder(value.Length + 16);
        AppendUriEncoded(builder, Encoding.UTF8.GetBytes(value), encodeSlash);
        return builder.ToString();
    }

    /// <summary>
    /// Percent-decodes <paramref name="text"/> into bytes. A '%' not followed by two hex digits is kept literally;
    /// '+' becomes a space when <paramref name="plusAsSpace"/> (query strings, as ASP.NET Core interprets them).
    /// Characters above U+007F (not legal in a request target, but tolerated) are taken as UTF-8.
    /// </summary>
    public static byte[] PercentDecode(ReadOnlySpan<char> text, bool plusAsSpace)
    {
        var output = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                output.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusAsSpace)
            {
                output.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                output.Add((byte)c);
            }
            else
            {
                Rune rune;
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    rune = new Rune(c, text[i + 1]);
                    i++;
                }
                else if (!Rune.TryCreate(c, out rune))
                {
                    rune = Rune.ReplacementChar;
                }

                var written = rune.EncodeToUtf8(utf8);
                for (var k = 0; k < written; k++)
                {
                    output.Add(utf8[k]);
                }
            }
        }

        return [.. output];
    }

    /// <summary>
    /// Builds the canonical query string: every parameter decoded from its raw form and re-encoded by AWS rules (from the
    /// decoded bytes, so invalid UTF-8 survives), sorted by encoded name then encoded value (ordinal). A parameter without
    /// '=' has an empty value. Parameters named <paramref name="excludeName"/> (exact, decoded) are left out. A raw '+'
    /// is a space when <paramref name="plusAsSpace"/> (form encoding), else a literal '+' (RFC 3986, what AWS SDKs mean).
    /// </summary>
    public static string CanonicalQuery(IReadOnlyList<QueryParameter> parameters, string? excludeName, bool plusAsSpace)
    {
        if (parameters.Count == 0)
        {
            return string.Empty;
        }

        var encoded = new List<(string Name, string Value)>(parameters.Count);
        foreach (var parameter in parameters)
        {
            if (excludeName is not null && string.Equals(parameter.Name, excludeName, StringComparison.Ordinal))
            {
                continue;
            }

            var name = new StringBuilder(parameter.RawName.Length + 8);
            AppendUriEncoded(name, PercentDecode(parameter.RawName, plusAsSpace), encodeSlash: true);
            var value = new StringBuilder(parameter.RawValue.Length + 8);
            AppendUriEncoded(value, PercentDecode(parameter.RawValue, plusAsSpace), encodeSlash: true);
            encoded.Add((name.ToString(), value.ToString()));
        }

        encoded.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        var builder = new StringBuilder();
        for (var i = 0; i < encoded.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(encoded[i].Name).Append('=').Append(encoded[i].Value);
        }

        return builder.ToString();
    }

    /// <summary>Splits a raw query string (no leading '?') into parameters, in order. Empty segments are skipped.</summary>
    public static List<QueryParameter> ParseQuery(ReadOnlySpan<char> rawQuery)
    {
        var result = new List<QueryParameter>();
        while (!rawQuery.IsEmpty)
        {
            var amp = rawQuery.IndexOf('&');
            var segment = amp < 0 ? rawQuery : rawQuery[..amp];
            rawQuery = amp < 0 ? [] : rawQuery[(amp + 1)..];
            if (segment.IsEmpty)
            {
                continue;
            }

            var eq = segment.IndexOf('=');
            var rawName = eq < 0 ? segment : segment[..eq];
            var rawValue = eq < 0 ? [] : segment[(eq + 1)..];
            result.Add(new QueryParameter(
                Encoding.UTF8.GetString(PercentDecode(rawName, plusAsSpace: true)),
                Encoding.UTF8.GetString(PercentDecode(rawValue, plusAsSpace: true)),
                rawName.ToString(),
                rawValue.ToString()));
        }

        return result;
    }

    /// <summary>
    /// The AWS-normalised form of a raw path: decoded, then every byte but unreserved characters and '/' encoded.
    /// An encoded slash (<c>%2F</c>) stays encoded, so a key containing '/' can never verify as a different key.
    /// Used as a second candidate when the path exactly as sent does not verify.
    /// </summary>
    public static string NormalizePath(ReadOnlySpan<char> rawPath)
    {
        var builder = new StringBuilder(rawPath.Length + 16);
        while (true)
        {
            var slash = rawPath.IndexOf("%2F", StringComparison.OrdinalIgnoreCase);
            var piece = slash < 0 ? rawPath : rawPath[..slash];
            AppendUriEncoded(builder, PercentDecode(piece, plusAsSpace: false), encodeSlash: false);
            if (slash < 0)
            {
                return builder.ToString();
            }

            builder.Append("%2F");
            rawPath = rawPath[(slash + 3)..];
        }
    }

    /// <summary>Trims a header value and collapses runs of spaces and tabs into one space.</summary>
    public static void AppendNormalizedHeaderValue(StringBuilder builder, ReadOnlySpan<char> value)
    {
        value = value.Trim(" \t");
        var inSpace = false;
        foreach (var c in value)
        {
            if (c is ' ' or '\t')
            {
                if (!inSpace)
                {
                    builder.Append(' ');
                    inSpace = true;
                }
            }
            else
            {
                builder.Append(c);
                inSpace = false;
            }
        }
    }

    public static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    public static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Parses exactly 64 hex digits into 32 bytes.</summary>
    public static bool TryParseSha256Hex(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != 64 || destination.Length < 32)
        {
            return false;
        }

        for (var i = 0; i < 32; i++)
        {
            var hi = HexValue(hex[2 * i]);
            var lo = HexValue(hex[(2 * i) + 1]);
            if (hi < 0 || lo < 0)
            {
                return false;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }
}
