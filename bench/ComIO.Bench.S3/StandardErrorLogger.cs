using BenchmarkDotNet.Loggers;

namespace ComIO.Bench.S3;

/// <summary>BenchmarkDotNet's log on stderr (stdout is kept for results).</summary>
internal sealed class StandardErrorLogger : BenchmarkDotNet.Loggers.ILogger
{
    public string Id => nameof(StandardErrorLogger);

    public int Priority => 0;

    public void Write(LogKind logKind, string text) => Console.Error.Write(text);

    public void WriteLine() => Console.Error.WriteLine();

    public void WriteLine(LogKind logKind, string text) => Console.Error.WriteLine(text);

    public void Flush() => Console.Error.Flush();
}
