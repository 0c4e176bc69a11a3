using ComIO.ApiService.Authentication;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Routing;
using ComIO.Contracts.Nodes;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>
/// Hostile Range and conditional headers: <see cref="ByteRange"/> parsing never throws and whatever it accepts resolves
/// inside the object for every size; <see cref="Preconditions"/> never throws and honours the ETag rules for any
/// header value (huge lists, junk dates).
/// </summary>
public sealed class RangeAndConditionalFuzzTests
{
    private static readonly string[] RangeTokens =
    [
        "bytes=", "BYTES=", "bytes", "=", "-", "--", ",", " ", "\t", "0", "1", "9223372036854775807", "9223372036854775808", "18446744073709551616", "-1", "+1",
        "0x10", "1e3", "\u0660", "\uFF11", "\0", "items=", ";", "bytes=0-0,1-1",
    ];

    private static readonly string[] ConditionTokens =
    [
        "*", "\"", "W/", ",", ", ", " ", "\"etag\"", "etag", "W/\"etag\"", "Sun, 06 Nov 1994 08:49:37 GMT", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00", "Mon, 31 Dec 9999 23:59:59 GMT", "Tue, 01 Jan 0001 00:00:00 GMT", "GMT", "+14:00", "\0", "\uD800",
    ];

    private static readonly long[] Sizes = [0, 1, 2, 100, 4096, int.MaxValue, long.MaxValue - 1, long.MaxValue];

    [Fact]
    public void ByteRangeTryParse_MutatedOrRandomHeader_NeverThrowsAndResolvesInsideObject()
    {
        var run = FuzzRun.Start(nameof(ByteRangeTryParse_MutatedOrRandomHeader_NeverThrowsAndResolvesInsideObject));
        string[] seeds = ["bytes=0-99", "bytes=100-", "bytes=-500", "bytes=9223372036854775806-9223372036854775807"];
        var iterations = 20_000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var header = run.Random.Next(3) == 0
                ? System.Text.Encoding.UTF8.GetString(Mutator.RandomBytes(run.Random, 40, RangeTokens))
                : Mutator.Mutate(run.Random, seeds[run.Random.Next(seeds.Length)], RangeTokens);
            run.Check(header, () =>
            {
                if (!ByteRange.TryParse(header, out var range))
                {
                    return;
                }

                foreach (var size in Sizes.Append(run.Random.NextInt64(long.MaxValue)))
                {
                    if (range.TryResolve(size, out var offset, out var length)
                        && (offset < 0 || length < 1 || offset > size - length))
                    {
                        run.Fail(header, $"{range} resolved against size {size} to offset {offset}, length {length}");
                    }
                }
            }, _ => false);
        }

        run.Report();
    }

    [Theory]
    [InlineData("bytes=0-18446744073709551616")]
    [InlineData("bytes=9223372036854775808-")]
    [InlineData("bytes=-9223372036854775808")]
    [InlineData("bytes=5-4")]
    [InlineData("bytes=-1-2")]
    [InlineData("bytes=0x1-2")]
    [InlineData("bytes=\u0661-2")]
    public void ByteRangeTryParse_OverflowingOrInvertedRange_ReturnsFalse(string header)
    {
        Assert.False(ByteRange.TryParse(header, out _));
    }

    [Fact]
    public void ByteRangeTryParse_HeaderOf1MB_ReturnsFalse()
    {
        Assert.False(ByteRange.TryParse("bytes=0-" + new string('9', 1024 * 1024), out _));
    }

    [Fact]
    public void PreconditionsEvaluate_RandomHeaders_NeverThrowsAndHonoursETagMatch()
    {
        var run = FuzzRun.Start(nameof(PreconditionsEvaluate_RandomHeaders_NeverThrowsAndHonoursETagMatch));
        string[] names = ["If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"];
        var iterations = 20_000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var prefix = run.Random.Next(2) == 0 ? "" : "x-amz-copy-source-";
            var headers = new List<(string Name, string Value)>();
            foreach (var name in names)
            {
                if (run.Random.Next(2) == 0)
                {
                    headers.Add((prefix + name, RandomCondition(run.Random)));
                }
            }

            var lastModified = run.Random.Next(4) switch
            {
                0 => DateTimeOffset.MinValue,
                1 => DateTimeOffset.MaxValue,
                _ => DateTimeOffset.UnixEpoch.AddSeconds(run.Random.NextInt64(0, 253_402_300_799)),
            };
            var description = string.Join(" | ", headers.Select(h => $"{h.Name}: {h.Value}")) + $" (last modified {lastModified:O})";
            run.Check(description, () =>
            {
                var outcome = Preconditions.Evaluate(NewRequest(headers), "\"etag\"", lastModified, prefix, out var failed);
                var ifMatch = headers.FirstOrDefault(h => h.Name == prefix + "If-Match").Value;
                if (ifMatch is not null && !Preconditions.EtagListMatches(ifMatch, "\"etag\"") && outcome != PreconditionOutcome.PreconditionFailed)
                {
                    run.Fail(description, $"If-Match did not match but the outcome is {outcome}");
                }

                if ((outcome == PreconditionOutcome.Proceed) != (failed is null))
                {
                    run.Fail(description, $"outcome {outcome} with failed condition '{failed}'");
                }
            }, _ => false);
        }

        run.Report();
    }

    [Fact]
    public void PreconditionsEvaluate_IfMatchListOf100kEntries_MatchesWithoutThrowing()
    {
        var list = string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"e{i}\"")) + ",\"etag\"";

        var outcome = Preconditions.Evaluate(NewRequest([("If-Match", list)]), "\"etag\"", DateTimeOffset.UtcNow);

        Assert.Equal(PreconditionOutcome.Proceed, outcome);
    }

    private static string RandomCondition(Random random)
    {
        var value = random.Next(3) switch
        {
            0 => string.Join(random.Next(2) == 0 ? "," : ", ", Enumerable.Range(0, random.Next(1, 5)).Select(_ => ConditionTokens[random.Next(ConditionTokens.Length)])),
            1 => DateTimeOffset.UnixEpoch.AddSeconds(random.NextInt64(-62_135_596_800, 253_402_300_799)).ToString(random.Next(2) == 0 ? "R" : "O", System.Globalization.CultureInfo.InvariantCulture),
            _ => System.Text.Encoding.UTF8.GetString(Mutator.RandomBytes(random, 40, ConditionTokens)),
        };
        return random.Next(3) == 0 ? Mutator.Mutate(random, value, ConditionTokens) : value;
    }

    private static S3Request NewRequest(IEnumerable<(string Name, string Value)> headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return new S3Request(context, "fuzz", new S3Target("bucket", "key"), AuthenticationResult.Anonymous);
    }
}
