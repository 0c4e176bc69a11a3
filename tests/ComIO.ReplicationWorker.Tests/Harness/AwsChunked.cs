using System.Globalization;
using System.Text;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>Decodes an aws-chunked body (<c>hex-size[;chunk-signature=…]\r\n data \r\n … 0…\r\n[trailers]\r\n</c>) to its payload.</summary>
public static class AwsChunked
{
    public static byte[] Decode(byte[] body)
    {
        var payload = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = IndexOfCrLf(body, position);
            var header = Encoding.ASCII.GetString(body, position, lineEnd - position);
            var size = int.Parse(header.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            position = lineEnd + 2;
            if (size == 0)
            {
                return payload.ToArray();
            }

            payload.Write(body, position, size);
            position += size + 2;
        }
    }

    private static int IndexOfCrLf(byte[] body, int from)
    {
        for (var i = from; i + 1 < body.Length; i++)
        {
            if (body[i] == '\r' && body[i + 1] == '\n')
            {
                return i;
            }
        }

        throw new FormatException("no CRLF");
    }
}
