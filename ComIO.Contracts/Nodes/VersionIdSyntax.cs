namespace ComIO.Contracts.Nodes;

/// <summary>
/// The shape of object version ids ComIO issues: "null" (the null version) or 32 characters of the URL-safe alphabet
/// <c>-0-9A-Z_a-z</c>. Anything else cannot name a version, which S3 answers with 400 InvalidArgument.
/// </summary>
public static class VersionIdSyntax
{
    public const string Null = "null";

    public const int Length = 32;

    public static bool IsValid(string? versionId)
    {
        if (versionId == Null)
        {
            return true;
        }

        if (versionId is null || versionId.Length != Length)
        {
            return false;
        }

        foreach (var c in versionId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
