using System.Net;

namespace ComIO.Bench.S3;

/// <summary>An HTTP body of a known length generated on the fly (<see cref="PatternStream"/>): gigabytes without holding them.</summary>
internal sealed class PatternContent(byte[] pattern, long bodyLength, int seed) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        using var source = new PatternStream(pattern, bodyLength, seed);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bodyLength;
        return true;
    }
}
