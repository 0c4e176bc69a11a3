using System.Globalization;

namespace ComIO.Contracts.Nodes;

/// <summary>
/// A single HTTP byte range as S3 accepts it: <c>bytes=first-last</c>, <c>bytes=first-</c> or <c>bytes=-suffixLength</c>.
/// Multiple ranges and unparsable values are ignored (the whole object is served), as S3 does.
/// </summary>
public readonly record struct ByteRange(long? First, long? Last, long? SuffixLength)
{
    /// <summary>Parses a Range header value; false when it is absent or not a single well-formed byte range.</summary>
    public static bool TryParse(string? header, out ByteRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(header) || header.Length > 200)
        {
            return false;
        }

        var value = header.Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var spec = value.AsSpan(6).Trim();
        if (spec.Contains(','))
        {
            return false;
        }

        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.IsEmpty)
        {
            if (!TryParseNumber(lastText, out var suffix))
            {
                return false;
            }

            range = new ByteRange(null, null, suffix);
            return true;
        }

        if (!TryParseNumber(firstText, out var first))
        {
            return false;
        }

        if (lastText.IsEmpty)
        {
            range = new ByteRange(first, null, null);
            return true;
        }

        if (!TryParseNumber(lastText, out var last) || last < first)
        {
            return false;
        }

        range = new ByteRange(first, last, null);
        return true;
    }

    /// <summary>
    /// Resolves the range against an object size. False when it is unsatisfiable (S3 answers 416 InvalidRange);
    /// otherwise the offset and length to serve, clamped to the object.
    /// </summary>
    public bool TryResolve(long size, out long offset, out long length)
    {
        offset = 0;
        length = 0;
        if (SuffixLength is { } suffix)
        {
            if (suffix == 0 || size == 0)
            {
                return false;
            }

            length = Math.Min(suffix, size);
            offset = size - length;
            return true;
        }

        var first = First ?? 0;
        if (first >= size)
        {
            return false;
        }

        var last = Math.Min(Last ?? size - 1, size - 1);
        offset = first;
        length = last - first + 1;
        return true;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
