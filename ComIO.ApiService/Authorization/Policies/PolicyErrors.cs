namespace ComIO.ApiService.Authorization.Policies;

/// <summary>The messages <see cref="PolicyFormatException"/> carries; worded like AWS's <c>MalformedPolicy</c> messages.</summary>
internal static class PolicyErrors
{
    public const string NotJson = "Policies must be valid JSON and the first byte must be '{'";
    public const string TooLarge = "Policy exceeds the maximum allowed document size.";
    public const string Syntax = "Invalid policy syntax.";
    public const string MissingStatement = "Missing required field Statement";
    public const string MissingEffect = "Missing required field Effect";
    public const string MissingAction = "Missing required field Action";
    public const string MissingResource = "Missing required field Resource";
    public const string MissingPrincipal = "Missing required field Principal";
    public const string PrincipalNotAllowed = "Policy document should not specify a principal.";
    public const string InvalidAction = "Policy has invalid action";
    public const string InvalidResource = "Policy has invalid resource";
    public const string InvalidPrincipal = "Invalid principal in policy";
    public const string DuplicateSid = "Statement IDs (SID) in a single policy must be unique.";

    public static string UnknownField(string name) => "Unknown field " + name;

    public static string InvalidEffect(string effect) => "Invalid effect: " + effect;

    public static string InvalidVersion(string version) => "Invalid policy version: " + version;

    public static string InvalidOperator(string name) => "Invalid Condition operator: " + name;

    public static string InvalidConditionValue(string name, string value) => "Invalid Condition value for " + name + ": " + value;
}
