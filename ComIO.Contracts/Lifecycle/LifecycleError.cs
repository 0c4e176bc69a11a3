namespace ComIO.Contracts.Lifecycle;

/// <summary>Why a lifecycle document was refused: the S3 error code (MalformedXML, InvalidArgument, InvalidRequest) and message.</summary>
public sealed record LifecycleError(string Code, string Message)
{
    public const string MalformedXml = "MalformedXML";
    public const string InvalidArgument = "InvalidArgument";
    public const string InvalidRequest = "InvalidRequest";

    internal static LifecycleError Malformed { get; } = new(MalformedXml, "The XML you provided was not well-formed or did not validate against our published schema");
}
