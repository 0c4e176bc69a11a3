namespace ComIO.Storage.Encryption;

/// <summary>
/// How one data segment (a single-PUT object, an inline object or one part of a multipart object) is encrypted at rest:
/// a random 16-byte <see cref="Salt"/> from which the segment key is derived from the object's data key (HKDF-SHA256),
/// and one 16-byte AES-GCM tag per chunk (<see cref="Tags"/>, chunk i at <c>i * 16</c>; an inline object has one chunk).
/// Ciphertext has the plaintext's length, so sizes, extents and chunk grids are those of the plaintext. Immutable.
/// </summary>
internal sealed class SegmentEncryption
{
    /// <summary>Length of <see cref="Salt"/>.</summary>
    public const int SaltLength = 16;

    /// <summary>Length of one chunk's AES-GCM tag.</summary>
    public const int TagLength = 16;

    /// <summary>The only scheme so far: AES-256-GCM per chunk, key = HKDF-SHA256(data key, salt), nonce = chunk index.</summary>
    public const byte SchemeAesGcmChunked = 1;

    public required byte[] Salt { get; init; }

    /// <summary>Chunk tags (empty when the record was loaded without data, e.g. for listing).</summary>
    public required byte[] Tags { get; init; }

    public ReadOnlySpan<byte> TagOf(int chunk) => Tags.AsSpan(chunk * TagLength, TagLength);
}
