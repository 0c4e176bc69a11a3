namespace ComIO.ApiService.Identity;

/// <summary>Checks an identity policy document before it is attached to a user.</summary>
public static class IdentityPolicyValidator
{
    /// <summary>Null when <paramref name="json"/> is a valid identity policy; otherwise the MalformedPolicy message.</summary>
    public static string? Problem(string json)
    {
        try
        {
            Authorization.Policies.PolicyDocument.Parse(json, Authorization.Policies.PolicyKind.Identity);
            return null;
        }
        catch (Authorization.Policies.PolicyFormatException e)
        {
            return e.Message;
        }
    }
}
