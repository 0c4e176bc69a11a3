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
        var firstChunk = (int)(Position / ChunkSize);
        for (var offset = 0; offset < Data.Length; offset += ChunkSize)
        {
            Crcs[firstChunk + (offset / ChunkSize)] = Crc32C.Compute(Data.Span.Slice(offset, Math.Min(ChunkSize, Data.Length - offset)));
        }
    }

    /// <summary>Digests the plaintext, encrypts each chunk in place (its tag into <paramref name="tags"/>), then takes its CRC32C.</summary>
    public void DigestEncryptAndComputeCrcs(IncrementalHash md5, ObjectChecksumHasher? checksum, ChunkCipher cipher, byte[] tags)
    {
        Digest(md5, checksum);
        var firstChunk = (int)(Position / ChunkSize);
        for (var offset = 0; offset < Data.Length; offset += ChunkSize)
        {
            var chunk = firstChunk + (offset / ChunkSize);
            cipher.Encrypt(chunk, Data.Span.Slice(offset, Math.Min(ChunkSize, Data.Length - offset)), tags.AsSpan(chunk * SegmentEncryption.TagLength, SegmentEncryption.TagLength));
        }

        ComputeCrcs();
    }
}
