namespace ComIO.ApiService.Placement;

/// <summary>
/// A storage node of this site. <see cref="Id"/> must be stable across restarts and address changes: placement hashes
/// the ID, never the address, so moving a node to another host does not move its objects.
/// </summary>
public sealed record StorageNodeInfo(string Id, Uri BaseAddress);
