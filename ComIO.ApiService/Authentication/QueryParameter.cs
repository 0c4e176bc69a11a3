namespace ComIO.ApiService.Authentication;

/// <summary>One query parameter: decoded name and value, and both re-encoded by SigV4 rules for the canonical query string.</summary>
internal readonly record struct QueryParameter(string Name, string Value, string CanonicalName, string CanonicalValue);
