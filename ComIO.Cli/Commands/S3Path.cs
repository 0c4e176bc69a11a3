using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary>A <c>BUCKET[/KEY]</c> argument (an <c>s3://</c> prefix is accepted and ignored).</summary>
public sealed record S3Path(string Bucket, string Key)
{
    public static S3Path Parse(string value, bool requireKey)
    {
        var text = value.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? value[5..] : value;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? text : text[..slash];
        var key = slash < 0 ? string.Empty : text[(slash + 1)..];
        if (bucket.Length == 0)
        {
            throw new CliException($"invalid path '{value}': expected BUCKET/KEY", ExitCodes.Usage);
        }

        if (requireKey && key.Length == 0)
        {
            throw new CliException($"invalid path '{value}': expected BUCKET/KEY with a non-empty key", ExitCodes.Usage);
        }

        return new S3Path(bucket, key);
    }

    public override string ToString() => Key.Length == 0 ? Bucket : $"{Bucket}/{Key}";
}
