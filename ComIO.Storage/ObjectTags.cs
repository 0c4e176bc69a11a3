using System.Text;

namespace ComIO.Storage;

/// <summary>
/// S3's limits on an object's tag set: at most <see cref="MaxTags"/> tags, keys of 1–<see cref="MaxKeyLength"/> and
/// values of 0–<see cref="MaxValueLength"/> Unicode characters (code points), keys unique (case-sensitive).
/// The engine stores tag sets in the order given; it does not interpret them beyond these limits.
/// </summary>
public static class ObjectTags
{
    public const int MaxTags = 10;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    /// <summary>The empty tag set.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> None { get; } = [];

    /// <summary>Number of Unicode code points in <paramref name="value"/> (how S3 counts tag key and value lengths).</summary>
    public static int CharacterCount(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>Null when <paramref name="tags"/> is a valid tag set, otherwise why it is not.</summary>
    public static string? Problem(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count > MaxTags)
        {
            return $"Object tags cannot be greater than {MaxTags}.";
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            if (key is null || value is null)
            {
                return "Tag keys and values must not be null.";
            }

            var keyLength = CharacterCount(key);
            if (keyLength is < 1 or > MaxKeyLength)
            {
                return "The TagKey you have provided is invalid.";
            }

            if (CharacterCount(value) > MaxValueLength)
            {
                return "The TagValue you have provided is invalid.";
            }

            if (!keys.Add(key))
            {
                return "Cannot provide multiple Tags with the same key.";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="tags"/> breaks S3's limits; returns an immutable copy.</summary>
    internal static KeyValuePair<string, string>[] ValidatedCopy(IReadOnlyList<KeyValuePair<string, string>> tags, string parameterName)
    {
        if (Problem(tags) is { } problem)
        {
            throw new ArgumentException(problem, parameterName);
        }

        return [.. tags];
    }

    /// <summary>Rough UTF-8 size of a tag set, for buffer sizing.</summary>
    internal static int EncodedSize(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        var size = 8;
        foreach (var (key, value) in tags)
        {
            size += 8 + Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        return size;
    }
}
