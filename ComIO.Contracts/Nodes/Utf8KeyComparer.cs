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

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Rank(a).CompareTo(Rank(b));
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    private static int Rank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
