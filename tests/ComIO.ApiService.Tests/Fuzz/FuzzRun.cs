using System.Globalization;
using System.Text;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>
/// One seeded fuzz run: the random source, the number of inputs tried, and a checker that turns any unexpected
/// outcome into a test failure naming the seed and the input (so the failure reproduces with
/// <c>COMIO_FUZZ_SEED=&lt;seed&gt;</c>). <c>COMIO_FUZZ_SCALE</c> multiplies every iteration count (default 1).
/// </summary>
internal sealed class FuzzRun
{
    private readonly string _name;

    private FuzzRun(string name, int seed)
    {
        _name = name;
        Seed = seed;
        Random = new Random(seed);
    }

    public int Seed { get; }

    public Random Random { get; }

    /// <summary>Inputs tried so far.</summary>
    public long Inputs { get; private set; }

    /// <summary>Multiplier for iteration counts, from <c>COMIO_FUZZ_SCALE</c>.</summary>
    public static int Scale =>
        int.TryParse(Environment.GetEnvironmentVariable("COMIO_FUZZ_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;

    /// <summary>Starts a run seeded from <c>COMIO_FUZZ_SEED</c> when set, else from a fresh random seed.</summary>
    public static FuzzRun Start(string name)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("COMIO_FUZZ_SEED");
        var seed = int.TryParse(fromEnvironment, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : System.Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz {name}: seed {seed} (rerun with COMIO_FUZZ_SEED={seed})");
        return new FuzzRun(name, seed);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on one input. An exception is a failure unless <paramref name="allowed"/> accepts
    /// it; an assertion failing inside <paramref name="action"/> is reported with the seed and the input.
    /// </summary>
    public void Check(string input, Action action, Func<Exception, bool> allowed)
    {
        Inputs++;
        try
        {
            action();
        }
        catch (Exception e) when (e is not Xunit.Sdk.IAssertionException)
        {
            if (!allowed(e))
            {
                Fail(input, e);
            }
        }
    }

    /// <summary>Async form of <see cref="Check"/>.</summary>
    public async Task CheckAsync(string input, Func<Task> action, Func<Exception, bool> allowed)
    {
        Inputs++;
        try
        {
            await action();
        }
        catch (Exception e) when (e is not Xunit.Sdk.IAssertionException)
        {
            if (!allowed(e))
            {
                Fail(input, e);
            }
        }
    }

    /// <summary>Fails the test with the seed, the input and the exception.</summary>
    public void Fail(string input, Exception? e = null) =>
        Assert.Fail($"fuzz {_name} failed (seed {Seed}, input #{Inputs}): {Preview(input)}{(e is null ? "" : Environment.NewLine + e)}");

    /// <summary>Fails the test with the seed, the input (previewed) and what went wrong (in full).</summary>
    public void Fail(string input, string detail) =>
        Assert.Fail($"fuzz {_name} failed (seed {Seed}, input #{Inputs}): {Preview(input)}{Environment.NewLine}{detail}");

    /// <summary>Writes the totals to the test output: "N bad inputs tried".</summary>
    public void Report()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz {_name}: {Inputs} inputs tried (seed {Seed})");
    }

    /// <summary>The first 300 characters of an input, control characters escaped.</summary>
    public static string Preview(string input)
    {
        var builder = new StringBuilder();
        foreach (var c in input.Length > 300 ? input[..300] : input)
        {
            if (c < 0x20 || c is >= (char)0x7F and < (char)0xA0 || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return input.Length > 300 ? builder.Append(CultureInfo.InvariantCulture, $"... ({input.Length} chars)").ToString() : builder.ToString();
    }

    /// <summary>A byte input as text for <see cref="Preview"/> (Latin-1, so every byte shows).</summary>
    public static string Preview(byte[] input) => Preview(Encoding.Latin1.GetString(input));

    /// <summary>
    /// What a parser may throw for hostile input: a 400-class S3 error, or <c>NotImplemented</c> (501) for well-formed input
    /// naming a feature ComIO does not build (e.g. tag conditions in replication filters). Anything else is a finding.
    /// </summary>
    public static bool IsCleanRejection(Exception e) =>
        e is S3Exception s && ((int)s.Error.Status is >= 400 and < 500 || s.Error == S3ErrorCode.NotImplemented);
}
