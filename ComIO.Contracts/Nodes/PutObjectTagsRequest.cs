namespace ComIO.Contracts.Nodes;

/// <summary>
/// Body of a node's set-tags call (<see cref="InternalApi.ObjectTags"/>): the object's complete new tag set in order
/// (empty removes every tag). The API service has validated it against S3's limits; a node refuses an invalid set with
/// <c>InvalidRequest</c> (400).
/// </summary>
public sealed record PutObjectTagsRequest(List<ObjectTag> Tags);
