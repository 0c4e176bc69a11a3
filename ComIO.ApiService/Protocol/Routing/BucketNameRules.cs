using System.Net;

namespace ComIO.ApiService.Protocol.Routing;

/// <summary>AWS general-purpose bucket naming rules (S3 User Guide, "Bucket naming rules").</summary>
public static class BucketNameRules
{
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-'))
            {
                return false;
            }
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return false;
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
        {
            return false;
        }

        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal)
            || name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal))
        {
            return false;
        }

        return !IPAddress.TryParse(name, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || name.Count(c => c == '.') != 3;
    }
}
