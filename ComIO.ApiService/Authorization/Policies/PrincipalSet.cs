namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// The principals a bucket-policy statement names. <c>"*"</c> and <c>{"AWS":"*"}</c> match everyone including anonymous
/// callers; an account id or <c>arn:aws:iam::&lt;account&gt;:root</c> matches every principal of that account; a user ARN matches
/// that user (ordinal comparison); <c>{"CanonicalUser": id}</c> matches the canonical id (case-insensitive). Wildcards are not
/// allowed anywhere except as the whole <c>"*"</c>. Immutable and thread-safe.
/// </summary>
internal sealed class PrincipalSet
{
    private const string IamArnPrefix = "arn:aws:iam::";

    private readonly HashSet<string> _arns = new(StringComparer.Ordinal);
    private readonly HashSet<string> _accounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _canonicalIds = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the set names everyone (<c>"*"</c>).</summary>
    public bool IncludesEveryone { get; private set; }

    /// <summary>Whether <paramref name="principal"/> (<see langword="null"/> = anonymous) is in the set.</summary>
    public bool Matches(PolicyPrincipal? principal)
    {
        if (IncludesEveryone)
        {
            return true;
        }

        return principal is not null
            && (_arns.Contains(principal.Arn) || _accounts.Contains(principal.AccountId) || _canonicalIds.Contains(principal.CanonicalId));
    }

    /// <summary>Adds <c>"*"</c>.</summary>
    public void AddEveryone() => IncludesEveryone = true;

    /// <summary>Adds one <c>AWS</c> principal value; throws <see cref="PolicyFormatException"/> when it is not valid.</summary>
    public void AddAws(string value)
    {
        if (value == "*")
        {
            IncludesEveryone = true;
        }
        else if (IsAccountId(value))
        {
            _accounts.Add(value);
        }
        else if (TryParseIamArn(value, out var account, out var resource))
        {
            if (resource == "root")
            {
                _accounts.Add(account);
            }
            else
            {
                _arns.Add(value);
            }
        }
        else
        {
            throw new PolicyFormatException(PolicyErrors.InvalidPrincipal);
        }
    }

    /// <summary>Adds one <c>CanonicalUser</c> value (64 hex digits); throws <see cref="PolicyFormatException"/> otherwise.</summary>
    public void AddCanonicalUser(string value)
    {
        if (value.Length != 64 || !IsHex(value))
        {
            throw new PolicyFormatException(PolicyErrors.InvalidPrincipal);
        }

        _canonicalIds.Add(value);
    }

    private static bool IsAccountId(ReadOnlySpan<char> value)
    {
        if (value.Length != 12)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHex(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Accepts <c>arn:aws:iam::&lt;12 digits&gt;:root</c> and <c>...:user/...</c> / <c>...:role/...</c> without wildcards.</summary>
    private static bool TryParseIamArn(string value, out string account, out string resource)
    {
        account = string.Empty;
        resource = string.Empty;
        if (!value.StartsWith(IamArnPrefix, StringComparison.Ordinal) || value.Length < IamArnPrefix.Length + 14
            || value[IamArnPrefix.Length + 12] != ':' || GlobMatcher.HasWildcard(value))
        {
            return false;
        }

        account = value.Substring(IamArnPrefix.Length, 12);
        resource = value[(IamArnPrefix.Length + 13)..];
        if (!IsAccountId(account))
        {
            return false;
        }

        return resource == "root"
            || (resource.StartsWith("user/", StringComparison.Ordinal) && resource.Length > 5 && resource[^1] != '/')
            || (resource.StartsWith("role/", StringComparison.Ordinal) && resource.Length > 5 && resource[^1] != '/');
    }
}
