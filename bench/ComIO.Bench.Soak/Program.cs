using ComIO.Bench;
using ComIO.Bench.Soak;

// Usage: ComIO.Bench.Soak run --root DIR --duration 600 --clients 32 --report FILE [--sample-seconds 10] [--seed N]
//        ComIO.Bench.Soak serve --role node|api --url URL      (a service as a child process; used by `run`)
// `run` exits 0 when the workload saw no error and memory and handles stayed flat, 1 otherwise.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: ComIO.Bench.Soak <run|serve> [--name value ...]");
    return 2;
}

var arguments = new BenchArguments(args[1..]);
switch (args[0])
{
    case "run":
        return await SoakRun.RunAsync(arguments);
    case "serve":
        await SoakServe.RunAsync(arguments);
        return 0;
    default:
        Console.Error.WriteLine($"Unknown command '{args[0]}'.");
        return 2;
}
