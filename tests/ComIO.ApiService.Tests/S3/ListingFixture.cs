using System.Net;
using System.Text;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// A site with one bucket of a few thousand keys spread over both storage nodes: nested folders, keys whose UTF-8
/// order differs from their UTF-16 order, and keys with characters that need encoding. Each object's body is its key.
/// </summary>
public sealed class ListingFixture : IAsyncLifetime
{
    /// <summary>Keys with characters that must survive paths, XML and <c>encoding-type=url</c> unchanged.</summary>
    public static readonly string[] SpecialKeys =
    [
        "a b", "a+b", "a%b", "a%20b", "a&b=c;d", "q?x=1#frag", "tab\tkey", "quote\"'<>", "ü-umlaut", "日本/語.txt", "\uFF21-fullwidth",
        "\U0001F600-emoji", "dir1/\U0001F600", "dir1//double", "dir1/trailing/", "~tilde!*()", "back\\slash", "caret^`{|}", "\u00A0nbsp",
    ];

    public ComIOCluster Cluster { get; } = new();

    public string Bucket { get; private set; } = "";

    /// <summary>Every key of <see cref="Bucket"/>, in UTF-8 byte order.</summary>
    public IReadOnlyList<string> Keys { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        await Cluster.InitializeAsync();
        Bucket = await Cluster.CreateBucketAsync("listing");
        var keys = new List<string>();
        for (var i = 0; i < 2_400; i++)
        {
            keys.Add($"dir{i % 10}/sub{i % 4}/file{i:D4}.txt");
        }

        keys.AddRange(Enumerable.Range(0, 25).Select(i => $"top-{i:D2}"));
        keys.AddRange(SpecialKeys);
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken }, async (key, _) =>
        {
            using var put = await Cluster.Wire.SendAsync(HttpMethod.Put, $"/{Bucket}/{S3Wire.EncodeKey(key)}", body: Encoding.UTF8.GetBytes(key));
            if (put.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"PUT {key} failed: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            }
        });
        keys.Sort(Utf8Order);
        Keys = keys;
    }

    /// <summary>Compares strings by their UTF-8 bytes (S3's listing order), computed by encoding, independently of the product.</summary>
    public static int Utf8Order(string? a, string? b) =>
        Encoding.UTF8.GetBytes(a ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b ?? ""));

    /// <summary>What a listing with <paramref name="prefix"/> and <paramref name="delimiter"/> must return, in order: keys and common prefixes.</summary>
    public IReadOnlyList<string> Expected(string prefix, string? delimiter, string? after = null)
    {
        var result = new List<string>();
        foreach (var key in Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || (after is not null && Utf8Order(key, after) <= 0))
            {
                continue;
            }

            var index = string.IsNullOrEmpty(delimiter) ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            var entry = index < 0 ? key : key[..(index + delimiter!.Length)];
            if (result.Count == 0 || result[^1] != entry)
            {
                result.Add(entry);
            }
        }

        return result;
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
