using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ComIO.Storage.Encryption;

/// <summary>
/// AES-256-GCM over the chunks of one data segment. The segment key is HKDF-SHA256(data key, segment salt,
/// "comio-sse-chunk-v1"); the 12-byte nonce is the chunk index (little-endian u32, then zeros). Since every segment gets
/// a fresh random salt (so a fresh key), a (key, nonce) pair is never reused, even when a part number is uploaded again
/// or one data key protects several segments (the parts of an upload). Chunks are transformed in place (ciphertext has
/// the plaintext's length). Not thread-safe; dispose to clear the key.
/// </summary>
internal sealed class ChunkCipher : IDisposable
{
    /// <summary>Length of an object data key (AES-256).</summary>
    public const int DataKeyLength = 32;

    private static readonly byte[] Info = "comio-sse-chunk-v1"u8.ToArray();
    private readonly AesGcm _aes;

    private ChunkCipher(ReadOnlySpan<byte> dataKey, byte[] salt)
    {
        if (dataKey.Length != DataKeyLength)
        {
            throw new ArgumentException($"A data key is {DataKeyLength} bytes.", nameof(dataKey));
        }

        Span<byte> segmentKey = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, segmentKey, salt, Info);
        _aes = new AesGcm(segmentKey, SegmentEncryption.TagLength);
        CryptographicOperations.ZeroMemory(segmentKey);
        Salt = salt;
    }

    public byte[] Salt { get; }

    /// <summary>A cipher for a new segment: a fresh random salt.</summary>
    public static ChunkCipher ForNewSegment(ReadOnlySpan<byte> dataKey) => new(dataKey, RandomNumberGenerator.GetBytes(SegmentEncryption.SaltLength));

    /// <summary>A cipher for a stored segment.</summary>
    public static ChunkCipher ForSegment(ReadOnlySpan<byte> dataKey, SegmentEncryption encryption) => new(dataKey, encryption.Salt);

    /// <summary>Encrypts <paramref name="data"/> (chunk <paramref name="chunk"/>) in place and writes its tag.</summary>
    public void Encrypt(int chunk, Span<byte> data, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[12];
        nonce.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(nonce, chunk);
        _aes.Encrypt(nonce, data, data, tag);
    }

    /// <summary>Decrypts chunk <paramref name="chunk"/> in place; false (data undefined) when the tag does not verify.</summary>
    public bool TryDecrypt(int chunk, Span<byte> data, ReadOnlySpan<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[12];
        nonce.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(nonce, chunk);
        try
        {
            _aes.Decrypt(nonce, data, tag, data);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Dispose() => _aes.Dispose();
}
