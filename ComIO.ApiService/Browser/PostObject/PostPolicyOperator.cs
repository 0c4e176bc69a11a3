namespace ComIO.ApiService.Browser.PostObject;

/// <summary>The matching type of one POST policy condition.</summary>
public enum PostPolicyOperator
{
    /// <summary><c>{"field": "value"}</c> or <c>["eq", "$field", "value"]</c>: the form field must equal the value.</summary>
    Eq,

    /// <summary><c>["starts-with", "$field", "prefix"]</c>: the form field must start with the prefix (empty: any value).</summary>
    StartsWith,

    /// <summary><c>["content-length-range", min, max]</c>: the uploaded file's size must lie in [min, max].</summary>
    ContentLengthRange,

    /// <summary>A condition S3 parses but cannot satisfy (a field without <c>$</c>, a non-numeric range bound); it always fails.</summary>
    Unsupported,
}
