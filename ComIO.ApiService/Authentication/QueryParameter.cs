namespace ComIO.ApiService.Authentication;

/// <summary>
/// One query parameter: its name and value decoded ('+' read as a space, as ASP.NET Core reads it) and both exactly as
/// they appeared in the request target, from which the canonical forms are derived.
/// </summary>
internal readonly record struct QueryParameter(string Name, string Value, string RawName, string RawValue);
