namespace ComIO.ApiService.Identity;

/// <summary>Cross-site identity settings (<c>Identity__…</c>).</summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>Base URLs of the other sites' API services; user and key changes made here are sent to each of them.</summary>
    public List<string> PeerSites { get; set; } = [];
}
