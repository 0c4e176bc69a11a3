using System.Text;
using ComIO.Contracts.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace ComIO.ApiService.Tests.Nodes;

public sealed class Utf8KeyComparerTests
{
    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("photos/2026/IMG_1.jpg", "photos/2026/IMG_1.jpg", 0)]
    [InlineData("photos/2026/IMG_1.jpg", "photos/2026/IMG_1.jpg.bak", -1)]
    [InlineData("photos/2026/IMG_2.jpg", "photos/2026/IMG_10.jpg", 1)]
    [InlineData("", "a", -1)]
    [InlineData("k\uFFFF", "k\U0001F642", -1)] // UTF-16 puts the surrogate pair first; UTF-8 (and S3) the other way round
    [InlineData("k\uE000", "k\uD7FF", 1)]
    public void Compare_OrdersAsUtf8Bytes(string x, string y, int expected)
    {
        Assert.Equal(expected, Math.Sign(Utf8KeyComparer.Instance.Compare(x, y)));
        Assert.Equal(-expected, Math.Sign(Utf8KeyComparer.Instance.Compare(y, x)));
    }

    /// <summary>Keys drawn from ASCII, the BMP either side of the surrogates and astral characters, with shared prefixes.</summary>
    [Property(MaxTest = 3000)]
    public Property Compare_AgreesWithOrdinalComparisonOfTheUtf8Bytes()
    {
        var character = Gen.Elements("a", "b", "/", "\u007F", "\u0080", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFFFD", "\uFFFF", "\U00010000", "\U0001F642", "\U0010FFFF");
        var suffix = Gen.ArrayOf(character).Select(parts => string.Concat(parts));
        var prefix = Gen.Elements("", "photos/2026/11/27/", "日本/");
        var pair = Gen.Zip(prefix, Gen.Zip(suffix, suffix)).Select(p => (p.Item1 + p.Item2.Item1, p.Item1 + p.Item2.Item2));
        return Prop.ForAll(pair.ToArbitrary(), keys =>
        {
            var expected = Math.Sign(Encoding.UTF8.GetBytes(keys.Item1).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(keys.Item2)));
            return Math.Sign(Utf8KeyComparer.Instance.Compare(keys.Item1, keys.Item2)) == expected;
        });
    }
}
