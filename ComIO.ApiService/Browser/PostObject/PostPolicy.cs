using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Browser.PostObject;

/// <summary>
/// A browser-upload POST policy: the base64 JSON document of the <c>policy</c> form field, with its
/// <c>expiration</c> (ISO 8601 UTC with <c>Z</c>) and <c>conditions</c>. Parsing checks the document's shape; whether a
/// form satisfies it is <see cref="PostPolicyValidator"/>'s job. Member names are case-sensitive, operation names are
/// not. Shape errors are 400 <c>InvalidPolicyDocument</c> with S3's texts: "Invalid Policy: invalid Base64 encoding.",
/// "Invalid Policy: Invalid JSON." (not JSON, not an object, a null or fractional operand),
/// "Invalid Policy: Unexpected: 'name'" (a member other than expiration and conditions),
/// "Invalid Policy: Policy missing expiration.", "Invalid Policy: Invalid 'expiration' value: 'X'",
/// "Invalid Policy: Policy missing conditions.", "Invalid Policy: Invalid 'conditions' value: must be a List.",
/// "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
/// "Invalid Policy: Invalid Simple-Condition: value must be a string.",
/// "Invalid Policy: Invalid condition test: must be a List or Object.",
/// "Invalid Policy: Invalid Condition: missing operation identifier.",
/// "Invalid Policy: Invalid Condition: unknown operation 'X'.", "Invalid Policy: Invalid X: wrong number of arguments.".
/// A condition whose field lacks the <c>$</c>, or a range bound that is a non-numeric string, parses as
/// <see cref="PostPolicyOperator.Unsupported"/> and fails validation with "Policy Condition failed" (as S3 answers).
/// Trailing commas are accepted (AWS's own documentation examples use them). Immutable and thread-safe.
/// </summary>
public sealed class PostPolicy
{
    /// <summary>Longest base64 policy accepted (the whole form before the file is bounded by 20 KB anyway).</summary>
    public const int MaxBase64Length = 20 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, MaxDepth = 16 };

    private PostPolicy(string base64, DateTimeOffset expiration, IReadOnlyList<PostPolicyCondition> conditions)
    {
        Base64 = base64;
        Expiration = expiration;
        Conditions = conditions;
        foreach (var condition in conditions)
        {
            if (condition.Operator == PostPolicyOperator.ContentLengthRange)
            {
                // Several ranges: every one must hold, so the allowed range is their intersection.
                ContentLengthRange = ContentLengthRange is { } range
                    ? (Math.Max(range.Min, condition.Min), Math.Min(range.Max, condition.Max))
                    : (condition.Min, condition.Max);
            }
        }
    }

    /// <summary>The <c>policy</c> field exactly as sent: the text the POST signature signs.</summary>
    public string Base64 { get; }

    /// <summary>When the policy stops being valid.</summary>
    public DateTimeOffset Expiration { get; }

    /// <summary>The conditions in document order.</summary>
    public IReadOnlyList<PostPolicyCondition> Conditions { get; }

    /// <summary>
    /// The allowed file size from the <c>content-length-range</c> conditions (their intersection when there are several),
    /// null when there is none. The caller enforces it while streaming the file (see
    /// <see cref="PostPolicyValidator.ValidateContentLength"/>).
    /// </summary>
    public (long Min, long Max)? ContentLengthRange { get; }

    /// <summary>Decodes and parses a <c>policy</c> form field; throws <see cref="S3Exception"/> as described on the type.</summary>
    public static PostPolicy Parse(string base64Policy)
    {
        ArgumentNullException.ThrowIfNull(base64Policy);
        if (base64Policy.Length > MaxBase64Length)
        {
            throw Invalid("invalid Base64 encoding.");
        }

        var bytes = new byte[base64Policy.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64Policy, bytes, out var length))
        {
            throw Invalid("invalid Base64 encoding.");
        }

        if (!Utf8.IsValid(bytes.AsSpan(0, length)))
        {
            throw Invalid("Invalid JSON.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.AsMemory(0, length), JsonOptions);
        }
        catch (JsonException)
        {
            throw Invalid("Invalid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("Invalid JSON.");
            }

            JsonElement? expirationElement = null;
            JsonElement? conditionsElement = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("expiration"))
                {
                    expirationElement ??= property.Value;
                }
                else if (property.NameEquals("conditions"))
                {
                    conditionsElement ??= property.Value;
                }
                else
                {
                    throw Invalid($"Unexpected: '{property.Name.ToLowerInvariant()}'");
                }
            }

            var expiration = expirationElement is { } e ? ParseExpiration(e) : throw Invalid("Policy missing expiration.");
            if (conditionsElement is not { } list)
            {
                throw Invalid("Policy missing conditions.");
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("Invalid 'conditions' value: must be a List.");
            }

            var conditions = new List<PostPolicyCondition>();
            foreach (var element in list.EnumerateArray())
            {
                conditions.Add(ParseCondition(element));
            }

            return new PostPolicy(base64Policy, expiration, conditions);
        }
    }

    private static S3Exception Invalid(string detail) => new(S3ErrorCodes.InvalidPolicyDocument, "Invalid Policy: " + detail);

    /// <summary>ISO 8601 in UTC with a <c>Z</c>, with or without fractional seconds; S3 refuses offsets and a space for the <c>T</c>.</summary>
    private static DateTimeOffset ParseExpiration(JsonElement element)
    {
        var text = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        if (element.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParseExact(
                text,
                ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"],
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var expiration))
        {
            return expiration;
        }

        throw Invalid($"Invalid 'expiration' value: '{text}'");
    }

    private static PostPolicyCondition ParseCondition(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                JsonProperty? only = null;
                var count = 0;
                foreach (var property in element.EnumerateObject())
                {
                    only = property;
                    count++;
                }

                if (count != 1)
                {
                    throw Invalid("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
                }

                var field = only!.Value.Name;
                var value = only.Value.Value;
                return value.ValueKind switch
                {
                    JsonValueKind.String => new PostPolicyCondition(
                        PostPolicyOperator.Eq, field, value.GetString()!, 0, 0, $"[\"eq\", {Quote("$" + field)}, {Quote(value.GetString()!)}]"),
                    JsonValueKind.Null => throw Invalid("Invalid JSON."),
                    _ => throw Invalid("Invalid Simple-Condition: value must be a string."),
                };
            case JsonValueKind.Array:
                return ParseArrayCondition(element);
            default:
                throw Invalid("Invalid condition test: must be a List or Object.");
        }
    }

    private static PostPolicyCondition ParseArrayCondition(JsonElement element)
    {
        var items = new List<JsonElement>();
        foreach (var item in element.EnumerateArray())
        {
            items.Add(item);
        }

        if (items.Count == 0)
        {
            throw Invalid("Invalid Condition: missing operation identifier.");
        }

        if (items[0].ValueKind != JsonValueKind.String)
        {
            throw Invalid("Invalid JSON.");
        }

        var operation = items[0].GetString()!;
        var op = operation.ToLowerInvariant() switch
        {
            "eq" => PostPolicyOperator.Eq,
            "starts-with" => PostPolicyOperator.StartsWith,
            "content-length-range" => PostPolicyOperator.ContentLengthRange,
            _ => throw Invalid($"Invalid Condition: unknown operation '{operation}'."),
        };
        if (items.Count != 3)
        {
            throw Invalid($"Invalid {operation}: wrong number of arguments.");
        }

        var text = "[" + string.Join(", ", items.Select(item => item.ValueKind == JsonValueKind.String ? Quote(item.GetString()!) : item.GetRawText())) + "]";
        if (op == PostPolicyOperator.ContentLengthRange)
        {
            return ParseRange(items[1], out var min) & ParseRange(items[2], out var max)
                ? new PostPolicyCondition(PostPolicyOperator.ContentLengthRange, string.Empty, string.Empty, min, max, text)
                : new PostPolicyCondition(PostPolicyOperator.Unsupported, string.Empty, string.Empty, 0, 0, text);
        }

        if (items[1].ValueKind != JsonValueKind.String || items[2].ValueKind != JsonValueKind.String)
        {
            throw Invalid("Invalid JSON.");
        }

        var reference = items[1].GetString()!;
        return reference.Length > 1 && reference[0] == '$'
            ? new PostPolicyCondition(op, reference[1..], items[2].GetString()!, 0, 0, text)
            : new PostPolicyCondition(PostPolicyOperator.Unsupported, reference, items[2].GetString()!, 0, 0, text);
    }

    /// <summary>
    /// A <c>content-length-range</c> bound: a non-negative JSON integer or a string of digits. A fraction, a negative
    /// number or another JSON type is "Invalid JSON."; a string that is not digits yields false (the condition then
    /// fails, as S3 answers <c>["content-length-range", "test", "10"]</c>).
    /// </summary>
    private static bool ParseRange(JsonElement element, out long value)
    {
        value = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetInt64(out value) && value >= 0:
                return true;
            case JsonValueKind.String:
                return long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
            default:
                throw Invalid("Invalid JSON.");
        }
    }

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
