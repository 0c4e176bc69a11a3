namespace ComIO.ApiService.Identity;

/// <summary>Whether a user or access key may sign requests. Disabled identities fail authentication at once.</summary>
public enum IdentityStatus
{
    Active,
    Inactive,
}
