using System.Security.Cryptography;
using ComIO.Storage.Checksums;
using ComIO.Storage.Encryption;

namespace ComIO.Storage.Objects;

/// <summary>
/// Whole chunks of an object being written (the last may be short), starting at chunk-aligned object offset
/// <see cref="Position"/>, and what a PUT computes over them: the object's digests, encryption in place, and each chunk's
/// CRC32C (into <see cref="Crcs"/>, indexed by the object's chunk number) over the bytes that reach the device.
/// </summary>
internal readonly record struct ChunkRange(Memory<byte> Data, long Position, int ChunkSize, uint[] Crcs)
{
    /// <summary>Appends the plaintext to the object's MD5 and requested checksum (ranges must come in object order).</summary>
    public void Digest(IncrementalHash md5, ObjectChecksumHasher? checksum)
    {
        md5.AppendData(Data.Span);
        checksum?.Append(Data.Span);
    }

    public void ComputeCrcs()
    {
        for (var i = 0; i < ChunkCount; i++)
        {
            Crcs[FirstChunk + i] = Crc32C.Compute(Chunk(i));
        }
    }

    /// <summary>Digests the plaintext, encrypts each chunk in place (its tag into <paramref name="tags"/>), then takes its CRC32C.</summary>
    public void DigestEncryptAndComputeCrcs(IncrementalHash md5, ObjectChecksumHasher? checksum, ChunkCipher cipher, byte[] tags)
    {
        Digest(md5, checksum);
        for (var i = 0; i < ChunkCount; i++)
        {
            var chunk = FirstChunk + i;
            cipher.Encrypt(chunk, Chunk(i), tags.AsSpan(chunk * SegmentEncryption.TagLength, SegmentEncryption.TagLength));
        }

        ComputeCrcs();
    }

    /// <summary>The object's chunk number of this range's first chunk.</summary>
    private int FirstChunk => (int)(Position / ChunkSize);

    private int ChunkCount => (Data.Length + ChunkSize - 1) / ChunkSize;

    /// <summary>The range's <paramref name="index"/>-th chunk (the last may be short).</summary>
    private Span<byte> Chunk(int index)
    {
        var offset = index * ChunkSize;
        return Data.Span.Slice(offset, Math.Min(ChunkSize, Data.Length - offset));
    }
}
