namespace ComIO.Contracts.Nodes;

/// <summary>
/// Orders strings as their UTF-8 bytes compare (S3's listing order), without encoding them. UTF-16 ordinal order
/// differs from UTF-8 order only between surrogates (U+D800–U+DFFF) and U+E000–U+FFFF; those are fixed up.
/// </summary>
public sealed class Utf8KeyComparer : IComparer<string>
{
    public static readonly Utf8KeyComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        // Keys of one listing share long prefixes ("photos/2026/11/27/..."): find the first difference with the
        // vectorised prefix scan, then rank only that pair of characters.
        var common = x.AsSpan().CommonPrefixLength(y);
        return common == Math.Min(x.Length, y.Length)
            ? x.Length.CompareTo(y.Length)
            : Rank(x[common]).CompareTo(Rank(y[common]));
    }

    private static int Rank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
