using ComIO.Bench;
using ComIO.Bench.S3;

// Usage: ComIO.Bench.S3 <http|sse|scale|rss|replication|micro|serve> --out <results.jsonl> [--name value ...]
// Each measurement appends one JSON object per line to --out (consumed by bench/report.py); progress goes to stderr.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: ComIO.Bench.S3 <http|sse|scale|rss|replication|micro|serve> [--name value ...]");
    return 2;
}

var arguments = new BenchArguments(args[1..]);
switch (args[0])
{
    case "http":
        await HttpLayerBenchmark.RunAsync(arguments, new ResultFile(arguments.Required("out")));
        break;
    case "sse":
        await SseBenchmark.RunAsync(arguments, new ResultFile(arguments.Required("out")));
        break;
    case "scale":
        await ScaleBenchmark.RunAsync(arguments, new ResultFile(arguments.Required("out")));
        break;
    case "rss":
        await RssBenchmark.RunAsync(arguments, new ResultFile(arguments.Required("out")));
        break;
    case "replication":
        await ReplicationBenchmark.RunAsync(arguments, new ResultFile(arguments.Required("out")));
        break;
    case "micro":
        MicroBenchmarks.Run(arguments, new ResultFile(arguments.Required("out")));
        break;
    case "serve":
        await ServeCommand.RunAsync(arguments);
        break;
    default:
        Console.Error.WriteLine($"Unknown command '{args[0]}'.");
        return 2;
}

return 0;
