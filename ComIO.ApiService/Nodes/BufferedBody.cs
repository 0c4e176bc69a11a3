using System.Buffers;

namespace ComIO.ApiService.Nodes;

/// <summary>
/// Reads a bounded node answer (a listing page holds at most 10,000 entries) whole into a pooled buffer and decodes it
/// in one synchronous pass; the buffer goes back to the pool once decoded.
/// </summary>
internal static class BufferedBody
{
    /// <summary>Decodes a complete answer; the span is valid only during the call.</summary>
    public delegate T Decoder<out T>(ReadOnlySpan<byte> body);

    /// <summary>No node answer is larger; a longer body is refused rather than buffered.</summary>
    internal const int MaxBytes = 64 * 1024 * 1024;

    private const int InitialBytes = 16 * 1024;

    /// <exception cref="InvalidDataException">The body is longer than <see cref="MaxBytes"/>.</exception>
    public static async Task<T> ReadAsync<T>(HttpContent content, Decoder<T> decode, CancellationToken ct)
    {
        var declared = content.Headers.ContentLength;
        if (declared > MaxBytes)
        {
            throw new InvalidDataException($"A node answer of {declared} bytes is longer than {MaxBytes}.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(declared is { } length and > 0 ? (int)length : InitialBytes);
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var filled = 0;
            while (filled != declared)
            {
                if (filled == buffer.Length)
                {
                    buffer = Grow(buffer, filled);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return decode(buffer.AsSpan(0, filled));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int filled)
    {
        if (buffer.Length >= MaxBytes)
        {
            throw new InvalidDataException($"A node answer is longer than {MaxBytes} bytes.");
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBytes, buffer.Length * 2));
        buffer.AsSpan(0, filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
