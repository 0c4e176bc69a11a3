using ComIO.ApiService.Tests.Authentication;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>Header edits on a <see cref="CapturedRequest"/> beyond replacing one value.</summary>
internal static class CapturedRequestMutations
{
    /// <summary>Replaces header <paramref name="name"/> (any case) by one header carrying all <paramref name="values"/> (a repeated header).</summary>
    public static CapturedRequest WithValues(this CapturedRequest request, string name, params string[] values)
    {
        var headers = request.Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        headers.Add(new(name, values));
        return request with { Headers = headers };
    }
}
