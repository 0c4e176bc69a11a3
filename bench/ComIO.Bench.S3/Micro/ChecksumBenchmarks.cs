using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ComIO.Storage;
using ComIO.Storage.Checksums;
using ComIO.Storage.Objects;

namespace ComIO.Bench.S3.Micro;

/// <summary>
/// The checksums every byte of an object pays, over 1 MiB in the engine's 64 KiB chunks, through the engine's own code:
/// the chunk CRC32C a PUT computes (<see cref="ChunkRange.ComputeCrcs"/>) and every GET verifies
/// (<see cref="ChunkReader.FindMismatch"/>), the MD5 of the ETag, and each S3 additional checksum a client may ask for
/// (<see cref="ObjectChecksumHasher"/>). A copy of the same 1 MiB is the baseline (memory bandwidth).
/// </summary>
[MemoryDiagnoser]
public class ChecksumBenchmarks
{
    private const int ObjectSize = 1 << 20;
    private const int ChunkSize = 64 * 1024;

    private readonly byte[] _data = new byte[ObjectSize];
    private readonly byte[] _copy = new byte[ObjectSize];
    private readonly uint[] _crcs = new uint[ObjectSize / ChunkSize];
    private DataSegment _segment = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_data);
        new ChunkRange(_data, 0, ChunkSize, _crcs).ComputeCrcs();
        _segment = new DataSegment { Length = ObjectSize, ChunkSize = ChunkSize, Extents = [], ChunkCrcs = _crcs.ToArray() };
    }

    [Benchmark(Baseline = true)]
    public int Copy()
    {
        _data.CopyTo(_copy, 0);
        return _copy[^1];
    }

    [Benchmark]
    public uint ChunkCrc32COnWrite()
    {
        new ChunkRange(_data, 0, ChunkSize, _crcs).ComputeCrcs();
        return _crcs[^1];
    }

    [Benchmark]
    public int ChunkCrc32CVerifyOnRead()
    {
        var mismatch = ChunkReader.FindMismatch(_segment, 0, _segment.ChunkCount, _data, out _);
        return mismatch == -1 ? mismatch : throw new InvalidOperationException($"chunk {mismatch} mismatched");
    }

    [Benchmark]
    public byte[] Md5ETag()
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        for (var offset = 0; offset < ObjectSize; offset += ChunkSize)
        {
            md5.AppendData(_data.AsSpan(offset, ChunkSize));
        }

        return md5.GetHashAndReset();
    }

    [Benchmark]
    public string ChecksumCrc32() => Additional(ChecksumAlgorithm.Crc32);

    [Benchmark]
    public string ChecksumCrc32C() => Additional(ChecksumAlgorithm.Crc32C);

    [Benchmark]
    public string ChecksumCrc64Nvme() => Additional(ChecksumAlgorithm.Crc64Nvme);

    [Benchmark]
    public string ChecksumSha1() => Additional(ChecksumAlgorithm.Sha1);

    [Benchmark]
    public string ChecksumSha256() => Additional(ChecksumAlgorithm.Sha256);

    /// <summary>An S3 additional checksum over the object, appended chunk by chunk as a PUT's body arrives.</summary>
    private string Additional(ChecksumAlgorithm algorithm)
    {
        using var hasher = new ObjectChecksumHasher(algorithm);
        for (var offset = 0; offset < ObjectSize; offset += ChunkSize)
        {
            hasher.Append(_data.AsSpan(offset, ChunkSize));
        }

        return hasher.GetBase64();
    }
}
