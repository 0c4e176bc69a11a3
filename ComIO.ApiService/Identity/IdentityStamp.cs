namespace ComIO.ApiService.Identity;

/// <summary>
/// The settings stamp of node <see cref="NodeId"/> that a user's access-key and user documents were both read under
/// (see <see cref="Contracts.Nodes.InternalApi.SettingsStampHeader"/>); <see cref="FromMemory"/> when the API service
/// took them from memory rather than from the node during this request.
/// </summary>
public sealed record IdentityStamp(string Value, string NodeId, bool FromMemory);
