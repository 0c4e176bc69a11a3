using System.Text;
using System.Text.Json;

namespace ComIO.ApiService.Authorization.Policies;

/// <summary>Validates policy JSON into <see cref="PolicyStatement"/>s; every rejection is a <see cref="PolicyFormatException"/>.</summary>
internal static class PolicyParser
{
    public const string CurrentVersion = "2012-10-17";
    public const string LegacyVersion = "2008-10-17";
    private const string S3ArnPrefix = "arn:aws:s3:::";

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    public static (string? Version, string? Id, PolicyStatement[] Statements) Parse(string json, PolicyKind kind, string? bucketName)
    {
        if (json.Length > PolicyDocument.MaxDocumentBytes || Encoding.UTF8.GetByteCount(json) > PolicyDocument.MaxDocumentBytes)
        {
            throw new PolicyFormatException(PolicyErrors.TooLarge);
        }

        var trimmed = json.AsSpan().TrimStart();
        if (trimmed.Length == 0 || trimmed[0] != '{')
        {
            throw new PolicyFormatException(PolicyErrors.NotJson);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new PolicyFormatException(PolicyErrors.NotJson, e);
        }

        using (document)
        {
            try
            {
                return ParseRoot(document.RootElement, kind, bucketName);
            }
            catch (InvalidOperationException e)
            {
                // Strings that JSON allows but UTF-16 cannot hold (lone surrogate escapes) surface here.
                throw new PolicyFormatException(PolicyErrors.Syntax, e);
            }
        }
    }

    private static (string? Version, string? Id, PolicyStatement[] Statements) ParseRoot(JsonElement root, PolicyKind kind, string? bucketName)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException(PolicyErrors.NotJson);
        }

        string? version = null;
        string? id = null;
        JsonElement? statement = null;
        foreach (var property in UniqueProperties(root))
        {
            switch (property.Name)
            {
                case "Version":
                    version = RequireString(property.Value);
                    if (version is not (CurrentVersion or LegacyVersion))
                    {
                        throw new PolicyFormatException(PolicyErrors.InvalidVersion(version));
                    }

                    break;
                case "Id":
                    id = RequireString(property.Value);
                    break;
                case "Statement":
                    statement = property.Value;
                    break;
                default:
                    throw new PolicyFormatException(PolicyErrors.UnknownField(property.Name));
            }
        }

        if (statement is not { } statements
            || (statements.ValueKind == JsonValueKind.Array && statements.GetArrayLength() == 0))
        {
            throw new PolicyFormatException(PolicyErrors.MissingStatement);
        }

        var variablesEnabled = version == CurrentVersion;
        var result = new List<PolicyStatement>();
        var sids = new HashSet<string>(StringComparer.Ordinal);
        if (statements.ValueKind == JsonValueKind.Object)
        {
            result.Add(ParseStatement(statements, kind, bucketName, variablesEnabled));
        }
        else if (statements.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in statements.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new PolicyFormatException(PolicyErrors.Syntax);
                }

                result.Add(ParseStatement(element, kind, bucketName, variablesEnabled));
            }
        }
        else
        {
            throw new PolicyFormatException(PolicyErrors.Syntax);
        }

        foreach (var parsed in result)
        {
            if (parsed.Sid is { Length: > 0 } sid && !sids.Add(sid))
            {
                throw new PolicyFormatException(PolicyErrors.DuplicateSid);
            }
        }

        return (version, id, [.. result]);
    }

    private static PolicyStatement ParseStatement(JsonElement statement, PolicyKind kind, string? bucketName, bool variablesEnabled)
    {
        string? sid = null;
        string? effect = null;
        JsonElement? principal = null;
        JsonElement? notPrincipal = null;
        JsonElement? action = null;
        JsonElement? notAction = null;
        JsonElement? resource = null;
        JsonElement? notResource = null;
        JsonElement? condition = null;
        foreach (var property in UniqueProperties(statement))
        {
            switch (property.Name)
            {
                case "Sid":
                    sid = RequireString(property.Value);
                    break;
                case "Effect":
                    effect = RequireString(property.Value);
                    break;
                case "Principal":
                    principal = property.Value;
                    break;
                case "NotPrincipal":
                    notPrincipal = property.Value;
                    break;
                case "Action":
                    action = property.Value;
                    break;
                case "NotAction":
                    notAction = property.Value;
                    break;
                case "Resource":
                    resource = property.Value;
                    break;
                case "NotResource":
                    notResource = property.Value;
                    break;
                case "Condition":
                    condition = property.Value;
                    break;
                default:
                    throw new PolicyFormatException(PolicyErrors.UnknownField(property.Name));
            }
        }

        if (effect is null)
        {
            throw new PolicyFormatException(PolicyErrors.MissingEffect);
        }

        if (effect is not ("Allow" or "Deny"))
        {
            throw new PolicyFormatException(PolicyErrors.InvalidEffect(effect));
        }

        var principals = ParsePrincipalElement(kind, principal, notPrincipal);
        var actions = ParseActions(Exclusive(action, notAction, PolicyErrors.MissingAction));
        var resources = ParseResources(Exclusive(resource, notResource, PolicyErrors.MissingResource), kind, bucketName, variablesEnabled);
        var conditions = condition is { } block ? ParseConditions(block, variablesEnabled) : [];
        return new PolicyStatement(
            sid,
            effect == "Deny",
            principals,
            notPrincipal is not null,
            actions,
            notAction is not null,
            resources,
            notResource is not null,
            conditions);
    }

    private static JsonElement Exclusive(JsonElement? positive, JsonElement? negative, string missingMessage)
    {
        if (positive is not null && negative is not null)
        {
            throw new PolicyFormatException(PolicyErrors.Syntax);
        }

        return positive ?? negative ?? throw new PolicyFormatException(missingMessage);
    }

    private static PrincipalSet? ParsePrincipalElement(PolicyKind kind, JsonElement? principal, JsonElement? notPrincipal)
    {
        if (kind == PolicyKind.Identity)
        {
            return principal is null && notPrincipal is null ? null : throw new PolicyFormatException(PolicyErrors.PrincipalNotAllowed);
        }

        var element = Exclusive(principal, notPrincipal, PolicyErrors.MissingPrincipal);
        var set = new PrincipalSet();
        if (element.ValueKind == JsonValueKind.String)
        {
            if (element.GetString() != "*")
            {
                throw new PolicyFormatException(PolicyErrors.InvalidPrincipal);
            }

            set.AddEveryone();
            return set;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException(PolicyErrors.InvalidPrincipal);
        }

        var any = false;
        foreach (var property in UniqueProperties(element))
        {
            var values = StringOrArray(property.Value, PolicyErrors.InvalidPrincipal);
            foreach (var value in values)
            {
                switch (property.Name)
                {
                    case "AWS":
                        set.AddAws(value);
                        break;
                    case "CanonicalUser":
                        set.AddCanonicalUser(value);
                        break;
                    default:
                        throw new PolicyFormatException(PolicyErrors.InvalidPrincipal);
                }

                any = true;
            }
        }

        return any ? set : throw new PolicyFormatException(PolicyErrors.InvalidPrincipal);
    }

    private static string[] ParseActions(JsonElement element)
    {
        var actions = StringOrArray(element, PolicyErrors.InvalidAction);
        foreach (var action in actions)
        {
            if (!S3ActionNames.IsValidPattern(action))
            {
                throw new PolicyFormatException(PolicyErrors.InvalidAction);
            }
        }

        return actions;
    }

    private static PolicyPattern[] ParseResources(JsonElement element, PolicyKind kind, string? bucketName, bool variablesEnabled)
    {
        var resources = StringOrArray(element, PolicyErrors.InvalidResource);
        var patterns = new PolicyPattern[resources.Length];
        for (var i = 0; i < resources.Length; i++)
        {
            var resource = resources[i];
            var valid = kind == PolicyKind.Bucket
                ? IsInBucket(resource, bucketName!)
                : resource == "*" || (resource.StartsWith(S3ArnPrefix, StringComparison.Ordinal) && resource.Length > S3ArnPrefix.Length);
            if (!valid)
            {
                throw new PolicyFormatException(PolicyErrors.InvalidResource);
            }

            patterns[i] = PolicyPattern.Create(resource, variablesEnabled);
        }

        return patterns;
    }

    /// <summary>The literal text must be the bucket ARN, or start with it and a '/', so no wildcard can reach another bucket.</summary>
    private static bool IsInBucket(string resource, string bucketName)
    {
        var span = resource.AsSpan();
        if (!span.StartsWith(S3ArnPrefix, StringComparison.Ordinal) || !span[S3ArnPrefix.Length..].StartsWith(bucketName, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = span[(S3ArnPrefix.Length + bucketName.Length)..];
        return rest.Length == 0 || rest[0] == '/';
    }

    private static PolicyCondition[] ParseConditions(JsonElement block, bool variablesEnabled)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException(PolicyErrors.Syntax);
        }

        var conditions = new List<PolicyCondition>();
        foreach (var operatorProperty in UniqueProperties(block))
        {
            if (!ConditionOperator.TryParse(operatorProperty.Name, out var conditionOperator))
            {
                throw new PolicyFormatException(PolicyErrors.InvalidOperator(operatorProperty.Name));
            }

            if (operatorProperty.Value.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyFormatException(PolicyErrors.Syntax);
            }

            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var keyProperty in operatorProperty.Value.EnumerateObject())
            {
                var key = keyProperty.Name;
                if (key.Length == 0 || !keys.Add(key))
                {
                    throw new PolicyFormatException(PolicyErrors.Syntax);
                }

                conditions.Add(PolicyCondition.Create(conditionOperator!, key, ConditionValues(keyProperty.Value), variablesEnabled));
            }
        }

        return [.. conditions];
    }

    /// <summary>A condition value: a string, number or boolean, or a non-empty array of them.</summary>
    private static string[] ConditionValues(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return [ConditionScalar(element)];
        }

        var values = new string[element.GetArrayLength()];
        if (values.Length == 0)
        {
            throw new PolicyFormatException(PolicyErrors.Syntax);
        }

        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i++] = ConditionScalar(item);
        }

        return values;
    }

    private static string ConditionScalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new PolicyFormatException(PolicyErrors.Syntax),
    };

    /// <summary>A string or a non-empty array of strings; anything else throws with <paramref name="message"/>.</summary>
    private static string[] StringOrArray(JsonElement element, string message)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return [element.GetString()!];
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw new PolicyFormatException(message);
        }

        var values = new string[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i++] = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new PolicyFormatException(message);
        }

        return values;
    }

    private static string RequireString(JsonElement element)
        => element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new PolicyFormatException(PolicyErrors.Syntax);

    /// <summary>The properties of <paramref name="element"/>; a name that appears twice is rejected so no reader can see a different policy.</summary>
    private static List<JsonProperty> UniqueProperties(JsonElement element)
    {
        var properties = new List<JsonProperty>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                throw new PolicyFormatException(PolicyErrors.Syntax);
            }

            properties.Add(property);
        }

        return properties;
    }
}
