namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>All whole-topology tests share one running topology (starting it costs ~30 s on 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class TopologyCollection : ICollectionFixture<TopologyFixture>
{
    public const string Name = "topology";
}
