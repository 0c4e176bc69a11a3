using System.Diagnostics;
using System.Text.RegularExpressions;
using ComIO.ApiService.Authorization.Policies;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace ComIO.ApiService.Tests.Authorization.Policies;

public sealed class GlobMatcherTests
{
    [Theory]
    [InlineData("", "", true)]
    [InlineData("*", "", true)]
    [InlineData("?", "", false)]
    [InlineData("a*b?c", "aXXbYc", true)]
    [InlineData("a*b?c", "abc", false)]
    [InlineData("*.jpg", "x.jpg.png", false)]
    [InlineData("**a", "a", true)]
    public void IsMatch_Patterns_MatchLikeIamWildcards(string pattern, string input, bool expected)
    {
        Assert.Equal(expected, GlobMatcher.IsMatch(pattern, input, ignoreCase: false));
    }

    [Fact]
    public void IsMatch_PathologicalPattern_FinishesQuickly()
    {
        var pattern = string.Concat(Enumerable.Repeat("a*", 200)) + "b";
        var input = new string('a', 20_000);
        var watch = Stopwatch.StartNew();

        Assert.False(GlobMatcher.IsMatch(pattern, input, ignoreCase: false));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void IsMatch_LiteralMask_TreatsMaskedWildcardsAsCharacters()
    {
        bool[] literal = [false, true, false];

        Assert.True(GlobMatcher.IsMatch("a*?", literal, "a*x", ignoreCase: false));
        Assert.False(GlobMatcher.IsMatch("a*?", literal, "abx", ignoreCase: false));
    }

    [Property(MaxTest = 2000)]
    public Property IsMatch_AgreesWithReferenceRegex()
    {
        var alphabet = Gen.Elements('a', 'b', '*', '?');
        var text = Gen.Elements('a', 'b');
        var cases = Gen.Zip(Gen.ArrayOf(alphabet).Select(c => new string(c)), Gen.ArrayOf(text).Select(c => new string(c)));
        return Prop.ForAll(cases.ToArbitrary(), pair =>
        {
            var (pattern, input) = pair;
            // NonBacktracking: the reference must not itself time out on patterns like "*a*a*a*" under load.
            var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
            return GlobMatcher.IsMatch(pattern, input, ignoreCase: false) == Regex.IsMatch(input, regex, RegexOptions.Singleline | RegexOptions.NonBacktracking);
        });
    }
}
