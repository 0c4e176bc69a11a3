using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Browser.PostObject;

/// <summary>
/// Authenticates a browser-upload POST signed with AWS Signature Version 4: the signature is the lower-case hex
/// HMAC-SHA256 of the base64 <c>policy</c> field exactly as sent (checked before the policy is decoded), keyed with the
/// SigV4 signing key derived from the secret, the credential's date and region, and service <c>s3</c>. Field names are
/// case-insensitive. A form with none of <c>X-Amz-Algorithm</c>, <c>X-Amz-Credential</c>, <c>X-Amz-Date</c>,
/// <c>X-Amz-Signature</c>, <c>AWSAccessKeyId</c>, <c>Signature</c> is anonymous, even with a <c>policy</c> (null is
/// returned; the caller allows it only on a publicly writable bucket). Errors, with S3's texts where recorded: a SigV2
/// form or an algorithm other than AWS4-HMAC-SHA256 is 400 <c>InvalidRequest</c>; a missing field is 400
/// <c>InvalidArgument</c> "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check
/// the order of the fields." (fields checked in the order Algorithm, Credential, Date, Signature, Policy; with
/// <c>ArgumentName</c>/<c>ArgumentValue</c>); a malformed credential or <c>X-Amz-Date</c>, or a credential for another
/// region (adds <c>Region</c>) or service, is 400 <c>InvalidArgument</c> naming the field; an unknown access key is 403
/// <c>InvalidAccessKeyId</c>; a wrong signature is 403 <c>SignatureDoesNotMatch</c> with <c>AWSAccessKeyId</c>,
/// <c>StringToSign</c> (the policy), <c>SignatureProvided</c> and <c>StringToSignBytes</c>. Stateless and thread-safe.
/// </summary>
public static class PostSignatureV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private static readonly string[] AuthenticationFields = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature", "AWSAccessKeyId", "Signature"];

    /// <summary>
    /// Verifies the form's signature and returns the access key id that signed it, or null for an anonymous form.
    /// <paramref name="secretLookup"/> returns the secret for an access key id, null when the key is unknown.
    /// S3 bounds a POST by its policy's expiration (<see cref="PostPolicyValidator.Validate"/>), not by <c>x-amz-date</c>.
    /// </summary>
    public static string? Verify(IReadOnlyDictionary<string, string> fields, Func<string, string?> secretLookup, string region)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(secretLookup);
        ArgumentNullException.ThrowIfNull(region);
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            byName.TryAdd(name, value);
        }

        if (!AuthenticationFields.Any(byName.ContainsKey))
        {
            return null;
        }

        if ((byName.ContainsKey("AWSAccessKeyId") || byName.ContainsKey("Signature")) && !byName.ContainsKey("X-Amz-Algorithm"))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }

        var algorithm = Required(byName, "X-Amz-Algorithm");
        if (!string.Equals(algorithm, Algorithm, StringComparison.Ordinal))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }

        var credential = Required(byName, "X-Amz-Credential");
        var date = Required(byName, "X-Amz-Date");
        var signature = Required(byName, "X-Amz-Signature");
        var policy = Required(byName, "Policy");

        var parts = credential.Split('/');
        if (parts.Length != 5)
        {
            throw Argument("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".", "X-Amz-Credential", credential);
        }

        if (parts[0].Length == 0)
        {
            throw Argument("a non-empty Access Key (AKID) must be provided in the credential.", "X-Amz-Credential", credential);
        }

        if (parts[1].Length != 8 || !DateTime.TryParseExact(parts[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw Argument($"incorrect date format \"{parts[1]}\". This date in the credential must be in the format \"yyyyMMdd\".", "X-Amz-Credential", credential);
        }

        if (!string.Equals(parts[2], region, StringComparison.Ordinal))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, $"the region '{parts[2]}' is wrong; expecting '{region}'")
            {
                ExtraElements = [new("ArgumentName", "X-Amz-Credential"), new("ArgumentValue", credential), new("Region", region)],
            };
        }

        if (!string.Equals(parts[3], "s3", StringComparison.Ordinal))
        {
            throw Argument($"incorrect service \"{parts[3]}\". This endpoint belongs to \"s3\".", "X-Amz-Credential", credential);
        }

        if (!string.Equals(parts[4], "aws4_request", StringComparison.Ordinal))
        {
            throw Argument($"incorrect terminal \"{parts[4]}\". This endpoint uses \"aws4_request\".", "X-Amz-Credential", credential);
        }

        if (!DateTime.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw Argument("X-Amz-Date must be formated via ISO8601 Long format", "X-Amz-Date", date);
        }

        var accessKeyId = parts[0];
        var secret = secretLookup(accessKeyId) ?? throw new S3Exception(S3ErrorCode.InvalidAccessKeyId)
        {
            ExtraElements = [new("AWSAccessKeyId", accessKeyId)],
        };

        var signingKey = SigV4Crypto.DeriveSigningKey(secret, parts[1], parts[2], "s3");
        Span<byte> computed = stackalloc byte[32];
        SigV4Crypto.HmacUtf8(signingKey, policy, computed);
        CryptographicOperations.ZeroMemory(signingKey);
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(computed));
        var provided = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, provided))
        {
            throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch)
            {
                ExtraElements =
                [
                    new("AWSAccessKeyId", accessKeyId),
                    new("StringToSign", policy),
                    new("SignatureProvided", signature),
                    new("StringToSignBytes", HexBytes(policy)),
                ],
            };
        }

        return accessKeyId;
    }

    /// <summary>S3's <c>StringToSignBytes</c>: each UTF-8 byte as two lower-case hex digits, separated by single spaces.</summary>
    private static string HexBytes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static string Required(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw Argument($"Bucket POST must contain a field named '{name}'.  If it is specified, please check the order of the fields.", name, string.Empty);

    private static S3Exception Argument(string message, string name, string value) =>
        new(S3ErrorCode.InvalidArgument, message)
        {
            ExtraElements = [new("ArgumentName", name), new("ArgumentValue", value)],
        };
}
