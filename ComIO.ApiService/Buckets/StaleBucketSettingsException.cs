namespace ComIO.ApiService.Buckets;

/// <summary>
/// A node refused an object operation because the bucket settings it was decided with changed meanwhile (nothing was
/// done). The pipeline serves the request again with freshly read settings; should that be refused too, the client
/// gets 503 ServiceUnavailable and retries.
/// </summary>
public sealed class StaleBucketSettingsException() : Exception("The bucket's settings changed while the request was served.");
