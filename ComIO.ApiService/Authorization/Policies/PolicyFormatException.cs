namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// Thrown by <see cref="PolicyDocument.Parse"/> when a policy document is not valid. <see cref="Exception.Message"/> is an
/// AWS-like description meant to be returned to the client as S3 <c>MalformedPolicy</c> (HTTP 400); it never contains a stack
/// trace or internal detail.
/// </summary>
public sealed class PolicyFormatException : FormatException
{
    public PolicyFormatException()
        : base("Invalid policy syntax.")
    {
    }

    public PolicyFormatException(string message)
        : base(message)
    {
    }

    public PolicyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
