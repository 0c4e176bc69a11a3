namespace ComIO.ApiService.Browser.Cors;

/// <summary>
/// One <c>CORSRule</c> of a bucket's CORS configuration. Immutable: the constructor copies the lists it is given.
/// Holds whatever was parsed; <see cref="CorsConfigurationXml.Parse(byte[])"/> is what enforces AWS's rules
/// (at least one origin and one method, methods among GET PUT POST DELETE HEAD, at most one <c>*</c> per origin
/// and per allowed header). Origins and methods are compared ordinally; header names case-insensitively.
/// </summary>
public sealed class CorsRule
{
    public CorsRule(
        string? id,
        IEnumerable<string> allowedOrigins,
        IEnumerable<string> allowedMethods,
        IEnumerable<string>? allowedHeaders = null,
        IEnumerable<string>? exposeHeaders = null,
        int? maxAgeSeconds = null)
    {
        Id = id;
        AllowedOrigins = [.. allowedOrigins];
        AllowedMethods = [.. allowedMethods];
        AllowedHeaders = [.. allowedHeaders ?? []];
        ExposeHeaders = [.. exposeHeaders ?? []];
        MaxAgeSeconds = maxAgeSeconds;
    }

    /// <summary>The optional <c>ID</c> element.</summary>
    public string? Id { get; }

    /// <summary>Origins allowed, each possibly with one <c>*</c> wildcard (e.g. <c>https://*.example.com</c>, or <c>*</c>).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; }

    /// <summary>Methods allowed: a subset of GET, PUT, POST, DELETE, HEAD.</summary>
    public IReadOnlyList<string> AllowedMethods { get; }

    /// <summary>Header names a preflight may ask for, each possibly with one <c>*</c> wildcard; matched case-insensitively.</summary>
    public IReadOnlyList<string> AllowedHeaders { get; }

    /// <summary>Response headers the browser may expose to scripts (<c>Access-Control-Expose-Headers</c>).</summary>
    public IReadOnlyList<string> ExposeHeaders { get; }

    /// <summary>Seconds a browser may cache the preflight answer (<c>Access-Control-Max-Age</c>); null when not set.</summary>
    public int? MaxAgeSeconds { get; }
}
