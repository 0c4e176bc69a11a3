using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ComIO.Bench.S3.Micro;

namespace ComIO.Bench.S3;

/// <summary>
/// Runs the BenchmarkDotNet hot-path benchmarks (<see cref="SigV4VerifyBenchmarks"/>, <see cref="AwsChunkedDecodeBenchmarks"/>,
/// <see cref="ChecksumBenchmarks"/>, <see cref="ListingMergeBenchmarks"/>)
/// in process (no generated project to build, so it fits the quick run), with <c>[MemoryDiagnoser]</c>, and writes one
/// line per benchmark: mean/median ns per operation and bytes allocated per operation.
/// </summary>
internal static class MicroBenchmarks
{
    public static void Run(BenchArguments arguments, ResultFile output)
    {
        var iterations = arguments.Int("iterations", 5);
        var artifacts = arguments.Required("artifacts");
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(iterations)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(new StandardErrorLogger())
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        foreach (var type in new[] { typeof(SigV4VerifyBenchmarks), typeof(AwsChunkedDecodeBenchmarks), typeof(ChecksumBenchmarks), typeof(ListingMergeBenchmarks) })
        {
            var summary = BenchmarkRunner.Run(type, config);
            foreach (var report in summary.Reports)
            {
                var result = new BenchResult("micro");
                result.Note("benchmark", string.Create(CultureInfo.InvariantCulture, $"{type.Name}.{report.BenchmarkCase.Descriptor.WorkloadMethod.Name}"));
                var statistics = report.ResultStatistics;
                result.Add("mean_ns", statistics?.Mean ?? -1);
                result.Add("median_ns", statistics?.Median ?? -1);
                result.Add("stddev_ns", statistics?.StandardDeviation ?? -1);
                result.Add("allocated_bytes", report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1);
                result.Add("gen0_per_1k", report.GcStats.Gen0Collections * 1000.0 / Math.Max(1, report.GcStats.TotalOperations));
                output.Write(result);
            }
        }
    }
}
