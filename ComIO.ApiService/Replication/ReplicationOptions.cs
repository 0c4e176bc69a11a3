namespace ComIO.ApiService.Replication;

/// <summary>
/// The sites this site may replicate to (<c>Replication:Sites:{name}:Endpoint</c>, the same section the replication
/// worker reads). The API service only needs their names: bucket replication rules are validated against them.
/// </summary>
public sealed class ReplicationOptions
{
    public const string SectionName = "Replication";

    public Dictionary<string, ReplicationSiteOptions> Sites { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ReplicationSiteOptions
{
    public string? Endpoint { get; set; }
}
