using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Protocol.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// Verifies AWS Signature Version 4 on S3 requests: the <c>Authorization</c> header form and presigned query strings.
/// It reads the method, the raw request target (<see cref="IHttpRequestFeature.RawTarget"/>, so the path is checked
/// exactly as the client encoded it), the query and the headers; it never reads the body. Body protection is reported
/// in <see cref="AuthenticationResult.Payload"/> and enforced by <see cref="PayloadHashVerifyingStream"/> or
/// <see cref="AwsChunkedStream"/>, which the caller must read to EOF before committing anything.
/// </summary>
/// <remarks>
/// Thread-safe; one instance serves all requests. Signatures are compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>. Derived signing keys are cached per (key, date, region).
/// Failures throw <see cref="S3Exception"/> with the S3 error code AWS uses for the same failure.
/// </remarks>
public sealed class SigV4Authenticator
{
    /// <summary>The only signing algorithm accepted.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string StreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    private const string StreamingSignedTrailerPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    private const string StreamingUnsignedTrailerPayload = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const int MaxPresignedExpirySeconds = 604800;
    private const int MaxSignedHeaders = 64;

    private readonly ICredentialStore _credentials;
    private readonly TimeProvider _time;
    private readonly SigV4Options _options;
    private readonly SigningKeyCache _keys = new();

    public SigV4Authenticator(ICredentialStore credentials, TimeProvider time, SigV4Options options)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _credentials = credentials;
        _time = time;
        _options = options;
    }

    /// <summary>
    /// Authenticates <paramref name="context"/>'s request. Returns <see cref="AuthenticationResult.Anonymous"/> when the
    /// request carries neither an <c>Authorization</c> header nor an <c>X-Amz-Algorithm</c> query parameter.
    /// </summary>
    /// <exception cref="S3Exception">The credentials are malformed, unknown, expired, skewed or do not verify.</exception>
    public AuthenticationResult Authenticate(HttpContext context) => Authenticate(context, _credentials);

    /// <summary>
    /// As <see cref="Authenticate(HttpContext)"/>, looking the signer's secret up in <paramref name="credentials"/> (e.g. the
    /// one credential resolved for this request from <see cref="PeekAccessKeyId"/>).
    /// </summary>
    public AuthenticationResult Authenticate(HttpContext context, ICredentialStore credentials)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(credentials);
        var (rawPath, rawQuery) = GetRawTarget(context);
        var query = SigV4Encoding.ParseQuery(rawQuery);
        var authorization = context.Request.Headers.Authorization;
        var hasHeader = authorization.Count > 0 && !string.IsNullOrEmpty(authorization[0]);
        var hasQuery = FindQuery(query, "X-Amz-Algorithm") >= 0;

        if (!hasHeader && !hasQuery)
        {
            return AuthenticationResult.Anonymous;
        }

        if (hasHeader && hasQuery)
        {
            throw new S3Exception(
                S3ErrorCode.InvalidArgument,
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified");
        }

        return hasHeader
            ? AuthenticateHeader(context.Request, authorization.ToString(), rawPath, query, credentials)
            : AuthenticatePresigned(context.Request, rawPath, query, credentials);
    }

    /// <summary>
    /// The access key id a request claims to be signed with (Authorization header <c>Credential=</c> or the
    /// <c>X-Amz-Credential</c> query parameter), before any verification; null for anonymous or unparseable requests
    /// (<see cref="Authenticate(HttpContext, ICredentialStore)"/> reports those precisely).
    /// </summary>
    public static string? PeekAccessKeyId(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        string? credential = null;
        if (authorization.Length > 0)
        {
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            credential = start < 0 ? null : authorization[(start + "Credential=".Length)..];
        }
        else
        {
            var (_, rawQuery) = GetRawTarget(context);
            var query = SigV4Encoding.ParseQuery(rawQuery);
            var index = FindQuery(query, "X-Amz-Credential");
            credential = index < 0 ? null : query[index].Value;
        }

        var slash = credential?.IndexOf('/') ?? -1;
        return slash > 0 ? credential![..slash] : null;
    }

    private AuthenticationResult AuthenticateHeader(HttpRequest request, string authorization, string rawPath, List<QueryParameter> query, ICredentialStore credentials)
    {
        var parsed = ParseAuthorizationHeader(authorization);
        var malformed = S3ErrorCode.AuthorizationHeaderMalformed;
        var credential = ParseCredential(parsed.Credential, malformed);

        var (signedAt, timestamp) = ReadRequestTime(request);
        if (!string.Equals(credential.Date, timestamp[..8], StringComparison.Ordinal))
        {
            throw new S3Exception(malformed, $"The authorization header is malformed; Invalid credential date \"{credential.Date}\". This date is not the same as X-Amz-Date: \"{timestamp[..8]}\".");
        }

        var now = _time.GetUtcNow();
        if ((now - signedAt).Duration() > _options.MaxClockSkew)
        {
            throw new S3Exception(S3ErrorCode.RequestTimeTooSkewed)
            {
                ExtraElements =
                [
                    new("RequestTime", signedAt.ToString("R", CultureInfo.InvariantCulture)),
                    new("ServerTime", now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                    new("MaxAllowedSkewMilliseconds", ((long)_options.MaxClockSkew.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
                ],
            };
        }

        var contentSha256 = request.Headers["x-amz-content-sha256"];
        if (contentSha256.Count == 0 || string.IsNullOrEmpty(contentSha256[0]))
        {
            throw new S3Exception(S3ErrorCode.MissingSecurityHeader, "Your request was missing a required header: x-amz-content-sha256.")
            {
                ExtraElements = [new("MissingHeaderName", "x-amz-content-sha256")],
            };
        }

        var hashedPayload = contentSha256.ToString();
        var payload = ClassifyPayload(hashedPayload);
        var signedHeaders = ParseSignedHeaders(parsed.SignedHeaders, malformed);
        var secret = GetSecret(credentials, credential.AccessKeyId);
        var signingKey = _keys.GetOrDerive(credential.AccessKeyId, secret, credential.Date, credential.Region);

        var seed = Verify(request, rawPath, query, excludeQuery: null, signedHeaders, parsed.SignedHeaders, hashedPayload, timestamp, credential, signingKey, parsed.Signature);

        long? decodedLength = null;
        string? declaredTrailer = null;
        StreamingSignatureContext? streaming = null;
        if (payload is PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer or PayloadMode.StreamingUnsignedTrailer)
        {
            var decoded = request.Headers["x-amz-decoded-content-length"].ToString();
            if (!long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw new S3Exception(S3ErrorCode.MissingContentLength, "You must provide the x-amz-decoded-content-length HTTP header with a streaming payload.");
            }

            decodedLength = length;
            declaredTrailer = NullIfEmpty(request.Headers["x-amz-trailer"].ToString());
            if (payload != PayloadMode.StreamingUnsignedTrailer)
            {
                streaming = new StreamingSignatureContext(signingKey, timestamp, credential.Scope, seed, payload == PayloadMode.StreamingSignedTrailer);
            }
        }

        return new AuthenticationResult
        {
            AccessKeyId = credential.AccessKeyId,
            Region = credential.Region,
            SignedAt = signedAt,
            Payload = payload,
            ExpectedPayloadSha256 = payload == PayloadMode.SignedSha256 ? hashedPayload.ToLowerInvariant() : null,
            Streaming = streaming,
            DecodedContentLength = decodedLength,
            DeclaredTrailer = declaredTrailer,
        };
    }

    private AuthenticationResult AuthenticatePresigned(HttpRequest request, string rawPath, List<QueryParameter> query, ICredentialStore credentials)
    {
        var error = S3ErrorCode.AuthorizationQueryParametersError;
        var algorithm = RequireSingleQuery(query, "X-Amz-Algorithm");
        if (!string.Equals(algorithm, Algorithm, StringComparison.Ordinal))
        {
            throw new S3Exception(error, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }

        var credential = ParseCredential(RequireSingleQuery(query, "X-Amz-Credential"), error);
        var timestamp = RequireSingleQuery(query, "X-Amz-Date");
        if (!TryParseAmzDate(timestamp, out var signedAt))
        {
            throw new S3Exception(error, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }

        if (!string.Equals(credential.Date, timestamp[..8], StringComparison.Ordinal))
        {
            throw new S3Exception(error, $"Invalid credential date \"{credential.Date}\". This date is not the same as X-Amz-Date: \"{timestamp[..8]}\".");
        }

        var expiresText = RequireSingleQuery(query, "X-Amz-Expires");
        if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires < 1)
        {
            throw new S3Exception(error, "X-Amz-Expires must be a positive number of seconds");
        }

        if (expires > MaxPresignedExpirySeconds || expires > _options.MaxPresignedExpiry.TotalSeconds)
        {
            throw new S3Exception(error, "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        }

        var signedHeadersText = RequireSingleQuery(query, "X-Amz-SignedHeaders");
        var signature = RequireSingleQuery(query, "X-Amz-Signature");
        var signedHeaders = ParseSignedHeaders(signedHeadersText, error);

        var now = _time.GetUtcNow();
        if (signedAt - now > _options.MaxClockSkew)
        {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Request is not valid yet");
        }

        if (now > signedAt.AddSeconds(expires))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Request has expired")
            {
                ExtraElements =
                [
                    new("X-Amz-Expires", expires.ToString(CultureInfo.InvariantCulture)),
                    new("Expires", signedAt.AddSeconds(expires).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                    new("ServerTime", now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                ],
            };
        }

        var contentIndex = FindQuery(query, "X-Amz-Content-Sha256");
        var hashedPayload = contentIndex >= 0 ? query[contentIndex].Value : UnsignedPayload;
        var payload = ClassifyPayload(hashedPayload);
        if (payload is not (PayloadMode.Unsigned or PayloadMode.SignedSha256))
        {
            throw new S3Exception(error, "Streaming payloads cannot be used with presigned URLs");
        }

        var secret = GetSecret(credentials, credential.AccessKeyId);
        var signingKey = _keys.GetOrDerive(credential.AccessKeyId, secret, credential.Date, credential.Region);
        Verify(request, rawPath, query, excludeQuery: "X-Amz-Signature", signedHeaders, signedHeadersText, hashedPayload, timestamp, credential, signingKey, signature);

        return new AuthenticationResult
        {
            AccessKeyId = credential.AccessKeyId,
            Region = credential.Region,
            SignedAt = signedAt,
            IsPresigned = true,
            Payload = payload,
            ExpectedPayloadSha256 = payload == PayloadMode.SignedSha256 ? hashedPayload.ToLowerInvariant() : null,
        };
    }

    /// <summary>Checks the signature against the canonical-request candidates (see body). Returns the verified signature (lower-case hex).</summary>
    private static string Verify(
        HttpRequest request,
        string rawPath,
        List<QueryParameter> query,
        string? excludeQuery,
        string[] signedHeaders,
        string signedHeadersText,
        string hashedPayload,
        string timestamp,
        Credential credential,
        byte[] signingKey,
        string providedSignature)
    {
        Span<byte> provided = stackalloc byte[32];
        var providedValid = SigV4Encoding.TryParseSha256Hex(providedSignature, provided);

        var canonicalHeaders = BuildCanonicalHeaders(request, signedHeaders);
        var asSent = string.IsNullOrEmpty(rawPath) ? "/" : rawPath;
        var normalized = SigV4Encoding.NormalizePath(asSent);
        var literalPlusQuery = SigV4Encoding.CanonicalQuery(query, excludeQuery, plusAsSpace: false);
        var hasPlus = false;
        foreach (var parameter in query)
        {
            hasPlus |= parameter.RawName.Contains('+', StringComparison.Ordinal) || parameter.RawValue.Contains('+', StringComparison.Ordinal);
        }

        // Candidates, most likely first: the path exactly as sent (S3 neither normalises nor double-encodes) and its
        // AWS re-encoding; a raw '+' in the query as a literal (what AWS SDKs mean) and as a space (form encoding).
        Span<byte> computed = stackalloc byte[32];
        string? firstCanonical = null;
        string? firstStringToSign = null;
        for (var candidate = 0; candidate < 4; candidate++)
        {
            var path = (candidate & 1) == 0 ? asSent : normalized;
            if ((candidate & 1) == 1 && string.Equals(normalized, asSent, StringComparison.Ordinal))
            {
                continue;
            }

            if (candidate >= 2 && !hasPlus)
            {
                break;
            }

            var canonicalQuery = candidate < 2 ? literalPlusQuery : SigV4Encoding.CanonicalQuery(query, excludeQuery, plusAsSpace: true);
            var canonicalRequest = string.Concat(
                request.Method, "\n", path, "\n", canonicalQuery, "\n", canonicalHeaders, "\n", signedHeadersText, "\n", hashedPayload);
            var stringToSign = string.Concat(Algorithm, "\n", timestamp, "\n", credential.Scope, "\n", SigV4Crypto.Sha256Hex(canonicalRequest));
            SigV4Crypto.HmacUtf8(signingKey, stringToSign, computed);
            if (providedValid && CryptographicOperations.FixedTimeEquals(computed, provided))
            {
                if (candidate < 2 && hasPlus)
                {
                    // The client signed each raw '+' as a literal '+'; ASP.NET Core would read it as a space, so a request
                    // signed for "a%2Bb" could be re-sent as "a+b" and act on "a b". Make the handlers see what was signed.
                    request.QueryString = new QueryString(request.QueryString.Value?.Replace("+", "%2B", StringComparison.Ordinal));
                }

                return Convert.ToHexStringLower(computed);
            }

            firstCanonical ??= canonicalRequest;
            firstStringToSign ??= stringToSign;
        }

        throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch)
        {
            ExtraElements =
            [
                new("AWSAccessKeyId", credential.AccessKeyId),
                new("StringToSign", firstStringToSign!),
                new("SignatureProvided", providedSignature),
                new("CanonicalRequest", firstCanonical!),
            ],
        };
    }

    private static string BuildCanonicalHeaders(HttpRequest request, string[] signedHeaders)
    {
        var builder = new StringBuilder(256);
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            var values = request.Headers[name];
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                SigV4Encoding.AppendNormalizedHeaderValue(builder, values[i]);
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    private static (string Path, string Query) GetRawTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            var request = context.Request;
            var path = SigV4Encoding.UriEncode((request.PathBase + request.Path).Value ?? "/", encodeSlash: false);
            return (string.IsNullOrEmpty(path) ? "/" : path, request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty);
        }

        if (!raw.StartsWith('/'))
        {
            // absolute-form (proxy style) "http://host/path?query", or "*".
            var scheme = raw.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0)
            {
                return ("/", string.Empty);
            }

            var slash = raw.IndexOfAny(['/', '?'], scheme + 3);
            raw = slash < 0 ? "/" : raw[slash] == '?' ? "/" + raw[slash..] : raw[slash..];
        }

        var q = raw.IndexOf('?');
        return q < 0 ? (raw, string.Empty) : (raw[..q], raw[(q + 1)..]);
    }

    private static PayloadMode ClassifyPayload(string hashedPayload)
    {
        switch (hashedPayload)
        {
            case UnsignedPayload:
                return PayloadMode.Unsigned;
            case StreamingSignedPayload:
                return PayloadMode.StreamingSigned;
            case StreamingSignedTrailerPayload:
                return PayloadMode.StreamingSignedTrailer;
            case StreamingUnsignedTrailerPayload:
                return PayloadMode.StreamingUnsignedTrailer;
        }

        Span<byte> ignored = stackalloc byte[32];
        if (SigV4Encoding.TryParseSha256Hex(hashedPayload, ignored))
        {
            return PayloadMode.SignedSha256;
        }

        if (hashedPayload.StartsWith("STREAMING-AWS4-ECDSA", StringComparison.Ordinal))
        {
            throw new S3Exception(S3ErrorCode.NotImplemented, "SigV4a (ECDSA) streaming signatures are not supported.");
        }

        throw new S3Exception(
            S3ErrorCode.InvalidArgument,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
    }

    private static (DateTimeOffset SignedAt, string Timestamp) ReadRequestTime(HttpRequest request)
    {
        var amzDate = request.Headers["x-amz-date"];
        if (amzDate.Count > 0)
        {
            var text = amzDate.ToString();
            if (TryParseAmzDate(text, out var parsed))
            {
                return (parsed, text);
            }
        }
        else if (request.Headers.Date.Count > 0
            && DateTimeOffset.TryParseExact(request.Headers.Date.ToString(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return (date, date.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture));
        }

        throw new S3Exception(S3ErrorCode.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
    }

    private static bool TryParseAmzDate(string text, out DateTimeOffset value)
        => DateTimeOffset.TryParseExact(text, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private static (string Credential, string SignedHeaders, string Signature) ParseAuthorizationHeader(string authorization)
    {
        var malformed = S3ErrorCode.AuthorizationHeaderMalformed;
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? authorization : authorization[..space];
        if (!string.Equals(algorithm, Algorithm, StringComparison.Ordinal))
        {
            if (algorithm.StartsWith("AWS4-", StringComparison.Ordinal))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"The authorization mechanism you have provided ({algorithm}) is not supported. Please use AWS4-HMAC-SHA256.");
            }

            throw new S3Exception(S3ErrorCode.InvalidRequest, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization[(space + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new S3Exception(malformed, $"The authorization header is malformed; the component \"{Truncate(part)}\" is not of the form key=value.");
            }

            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            switch (key)
            {
                case "Credential" when credential is null:
                    credential = value;
                    break;
                case "SignedHeaders" when signedHeaders is null:
                    signedHeaders = value;
                    break;
                case "Signature" when signature is null:
                    signature = value;
                    break;
                default:
                    throw new S3Exception(malformed, $"The authorization header is malformed; unexpected or repeated component \"{Truncate(key)}\".");
            }
        }

        if (credential is null || signedHeaders is null || signature is null)
        {
            throw new S3Exception(malformed, "The authorization header is malformed; it must contain Credential, SignedHeaders and Signature.");
        }

        return (credential, signedHeaders, signature);
    }

    private static Credential ParseCredential(string text, S3ErrorCode error)
    {
        var parts = text.Split('/');
        if (parts.Length != 5 || parts[0].Length == 0 || parts[2].Length == 0)
        {
            throw new S3Exception(error, $"The credential \"{Truncate(text)}\" is malformed; expected \"<access-key-id>/<yyyyMMdd>/<region>/s3/aws4_request\".");
        }

        if (parts[1].Length != 8 || !DateTime.TryParseExact(parts[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new S3Exception(error, $"Invalid credential date \"{Truncate(parts[1])}\".");
        }

        if (!string.Equals(parts[3], "s3", StringComparison.Ordinal))
        {
            throw new S3Exception(error, $"The credential is malformed; incorrect service \"{Truncate(parts[3])}\". This endpoint belongs to \"s3\".");
        }

        if (!string.Equals(parts[4], "aws4_request", StringComparison.Ordinal))
        {
            throw new S3Exception(error, $"The credential is malformed; incorrect terminal \"{Truncate(parts[4])}\". This endpoint uses \"aws4_request\".");
        }

        return new Credential(parts[0], parts[1], parts[2], $"{parts[1]}/{parts[2]}/s3/aws4_request");
    }

    private static string[] ParseSignedHeaders(string text, S3ErrorCode error)
    {
        var names = text.Split(';');
        if (names.Length > MaxSignedHeaders)
        {
            throw new S3Exception(error, "Too many signed headers.");
        }

        var hasHost = false;
        foreach (var name in names)
        {
            if (name.Length == 0 || !IsLowerCaseToken(name))
            {
                throw new S3Exception(error, $"Invalid signed header name \"{Truncate(name)}\"; names must be lower-case and separated by ';'.");
            }

            hasHost |= name == "host";
        }

        if (!hasHost)
        {
            throw new S3Exception(error, "The host header must be signed.");
        }

        return names;
    }

    private static bool IsLowerCaseToken(string name)
    {
        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string GetSecret(ICredentialStore credentials, string accessKeyId)
    {
        if (!credentials.TryGetSecret(accessKeyId, out var secret))
        {
            throw new S3Exception(S3ErrorCode.InvalidAccessKeyId)
            {
                ExtraElements = [new("AWSAccessKeyId", accessKeyId)],
            };
        }

        return secret;
    }

    private static int FindQuery(List<QueryParameter> query, string name)
    {
        for (var i = 0; i < query.Count; i++)
        {
            if (string.Equals(query[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static string RequireSingleQuery(List<QueryParameter> query, string name)
    {
        string? value = null;
        foreach (var parameter in query)
        {
            if (string.Equals(parameter.Name, name, StringComparison.Ordinal))
            {
                if (value is not null)
                {
                    throw new S3Exception(S3ErrorCode.AuthorizationQueryParametersError, $"Query parameter {name} must appear once.");
                }

                value = parameter.Value;
            }
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new S3Exception(
                S3ErrorCode.AuthorizationQueryParametersError,
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }

        return value;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";

    private readonly record struct Credential(string AccessKeyId, string Date, string Region, string Scope);
}
