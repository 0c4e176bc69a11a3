namespace ComIO.Contracts;

/// <summary>Names shared by the API service and storage nodes for the internal node API.</summary>
public static class InternalApi
{
    /// <summary>Header carrying the cluster secret on every internal request.</summary>
    public const string ClusterSecretHeader = "X-ComIO-Cluster-Secret";
}
