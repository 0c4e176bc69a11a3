using System.Text;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>
/// Hostile XML bodies for every request-body parser (DeleteObjects, CompleteMultipartUpload, Tagging, AccessControlPolicy,
/// OwnershipControls, PublicAccessBlock): mutations of a valid document, every truncation, random bytes, XML bombs and
/// external entities, deep nesting and 100,000 elements. A parser may return or throw a 400-class
/// <see cref="S3Exception"/> (or <c>NotImplemented</c> for a feature ComIO lists as missing); nothing else, never a DTD expanded or an entity resolved, and never unbounded allocation.
/// CreateBucketConfiguration is private to its handler and is fuzzed through the service in
/// <see cref="KeyAndBucketNameFuzzTests"/>.
/// </summary>
public sealed class XmlBodyParserFuzzTests
{
    public static TheoryData<string> Parsers => [.. XmlBodyParsers.All.Keys];

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_SeedDocument_Succeeds(string parser)
    {
        var (_, seed, parse) = XmlBodyParsers.All[parser];

        Assert.NotNull(parse(Encoding.UTF8.GetBytes(seed)));
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_MutatedValidDocument_ReturnsOrThrowsS3Exception(string parser)
    {
        var (_, seed, parse) = XmlBodyParsers.All[parser];
        var run = FuzzRun.Start($"{nameof(Parse_MutatedValidDocument_ReturnsOrThrowsS3Exception)}({parser})");
        var seedBytes = Encoding.UTF8.GetBytes(seed);
        var iterations = 4000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var body = Mutator.Mutate(run.Random, seedBytes, XmlBodyParsers.Tokens);
            ParseBounded(run, parse, body);
        }

        run.Report();
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_EveryTruncationOfValidDocument_ThrowsS3Exception(string parser)
    {
        var (_, seed, parse) = XmlBodyParsers.All[parser];
        var run = FuzzRun.Start($"{nameof(Parse_EveryTruncationOfValidDocument_ThrowsS3Exception)}({parser})");
        var seedBytes = Encoding.UTF8.GetBytes(seed);
        for (var length = 0; length < seedBytes.Length; length++)
        {
            var prefix = seedBytes[..length];
            run.Check(FuzzRun.Preview(prefix), () =>
            {
                parse(prefix);
                run.Fail(FuzzRun.Preview(prefix) + " (a truncated document) was accepted");
            }, FuzzRun.IsCleanRejection);
        }

        run.Report();
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_RandomBytes_ReturnsOrThrowsS3Exception(string parser)
    {
        var (root, _, parse) = XmlBodyParsers.All[parser];
        var run = FuzzRun.Start($"{nameof(Parse_RandomBytes_ReturnsOrThrowsS3Exception)}({parser})");
        var tokens = XmlBodyParsers.Tokens.Concat([$"<{root}>", $"</{root}>"]).ToArray();
        var iterations = 3000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var body = Mutator.RandomBytes(run.Random, 400, tokens);
            if (run.Random.Next(2) == 0)
            {
                body = [.. Encoding.UTF8.GetBytes($"<{root}>"), .. body, .. Encoding.UTF8.GetBytes($"</{root}>")];
            }

            ParseBounded(run, parse, body);
        }

        run.Report();
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_XmlBombOrExternalEntity_ThrowsS3ExceptionWithoutExpanding(string parser)
    {
        var (root, _, parse) = XmlBodyParsers.All[parser];
        var run = FuzzRun.Start($"{nameof(Parse_XmlBombOrExternalEntity_ThrowsS3ExceptionWithoutExpanding)}({parser})");
        foreach (var (name, body) in XmlBodyParsers.Bombs(root))
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            run.Check(name, () =>
            {
                parse(body);
                run.Fail($"{name} was accepted");
            }, FuzzRun.IsCleanRejection);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (4 * 1024 * 1024) + (64L * body.Length), $"{parser}: {name} ({body.Length} bytes) allocated {allocated} bytes.");
        }

        run.Report();
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_DeepNestingOrHugeElementCounts_ReturnsOrThrowsS3ExceptionWithBoundedAllocation(string parser)
    {
        var (root, seed, parse) = XmlBodyParsers.All[parser];
        var run = FuzzRun.Start($"{nameof(Parse_DeepNestingOrHugeElementCounts_ReturnsOrThrowsS3ExceptionWithBoundedAllocation)}({parser})");
        foreach (var (name, body) in XmlBodyParsers.Huge(root, seed))
        {
            ParseBounded(run, parse, body, name);
        }

        run.Report();
    }

    /// <summary>Parses one input: a clean rejection or a result, and allocation bounded by a small multiple of the input.</summary>
    private static void ParseBounded(FuzzRun run, Func<byte[], object> parse, byte[] body, string? name = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        run.Check(name ?? FuzzRun.Preview(body), () => parse(body), FuzzRun.IsCleanRejection);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var limit = (4L * 1024 * 1024) + (64L * body.Length);
        if (allocated > limit)
        {
            run.Fail($"{name ?? FuzzRun.Preview(body)} ({body.Length} bytes) allocated {allocated} bytes (limit {limit})");
        }
    }

}
