namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// Iterative matcher for IAM wildcards: <c>*</c> matches any run of characters (including none), <c>?</c> exactly one UTF-16
/// code unit. Runs in O(pattern × input) time in the worst case and never allocates; there is no backtracking explosion.
/// </summary>
internal static class GlobMatcher
{
    /// <summary>Matches <paramref name="input"/> against <paramref name="pattern"/>, every <c>*</c> and <c>?</c> being a wildcard.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> input, bool ignoreCase)
        => IsMatch(pattern, [], input, ignoreCase);

    /// <summary>
    /// Matches <paramref name="input"/> against <paramref name="pattern"/>. When <paramref name="literal"/> is not empty it has the
    /// pattern's length and a <see langword="true"/> entry makes the <c>*</c> or <c>?</c> at that index an ordinary character.
    /// </summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<bool> literal, ReadOnlySpan<char> input, bool ignoreCase)
    {
        var p = 0;
        var i = 0;
        var starPattern = -1;
        var starInput = 0;
        while (i < input.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                var isLiteral = literal.Length != 0 && literal[p];
                if (c == '*' && !isLiteral)
                {
                    starPattern = p++;
                    starInput = i;
                    continue;
                }

                if ((c == '?' && !isLiteral) || CharEquals(c, input[i], ignoreCase))
                {
                    p++;
                    i++;
                    continue;
                }
            }

            if (starPattern < 0)
            {
                return false;
            }

            // Let the last star absorb one more character and retry from just after it.
            p = starPattern + 1;
            i = ++starInput;
        }

        while (p < pattern.Length && pattern[p] == '*' && !(literal.Length != 0 && literal[p]))
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Whether <paramref name="text"/> contains a <c>*</c> or <c>?</c>.</summary>
    public static bool HasWildcard(ReadOnlySpan<char> text) => text.IndexOfAny('*', '?') >= 0;

    private static bool CharEquals(char a, char b, bool ignoreCase)
        => a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
