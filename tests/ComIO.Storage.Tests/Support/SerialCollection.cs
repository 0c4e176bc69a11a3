namespace ComIO.Storage.Tests.Support;

/// <summary>Tests that measure process-wide quantities (allocations, timings) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
