using ComIO.Bench;

// Usage: ComIO.Bench <seq|small-put|rss|hash|device> --device <image> --metadata <dir> [options]
// Prints one JSON object on stdout (consumed by bench/run.sh) and a summary on stderr.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: ComIO.Bench <seq|small-put|rss|hash|device> --device <image> --metadata <dir> [--name value ...]");
    return 2;
}

var arguments = new BenchArguments(args[1..]);
var result = args[0] switch
{
    "seq" => await SequentialBenchmark.RunAsync(arguments),
    "small-put" => await SmallPutBenchmark.RunAsync(arguments),
    "rss" => await LargeObjectRssBenchmark.RunAsync(arguments),
    "hash" => HashBenchmark.Run(arguments),
    "device" => await DeviceBenchmark.RunAsync(arguments),
    _ => throw new ArgumentException($"Unknown command '{args[0]}'."),
};

Console.Error.WriteLine(result.ToText());
Console.Out.WriteLine(result.ToJson());
return 0;
