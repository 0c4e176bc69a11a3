using System.Security.Cryptography;

namespace ComIO.Storage.Checksums;

/// <summary>
/// Feeds an object's MD5 (and its requested checksum, if any) with consecutive ranges of its body on the thread pool,
/// one range at a time and in the order appended, so a PUT's receiving, CRC32C and device writes go on while the
/// whole-object digests, which cannot be split, run on another core.
/// </summary>
/// <remarks>
/// The caller keeps each appended range unmodified and its memory alive until <see cref="Completion"/> (as of the
/// append, or later) has completed, and reads the hashers only after that. Not thread-safe: one caller appends.
/// </remarks>
internal sealed class BackgroundDigest(IncrementalHash md5, ObjectChecksumHasher? checksum)
{
    private Task _tail = Task.CompletedTask;

    /// <summary>Completes when every range appended so far has been hashed; faults if hashing failed.</summary>
    public Task Completion => _tail;

    public void Append(ReadOnlyMemory<byte> data)
    {
        _tail = _tail.ContinueWith(
            static (previous, state) =>
            {
                previous.GetAwaiter().GetResult(); // a failed range fails every later one: the digests are unusable
                var (md5, checksum, data) = ((IncrementalHash, ObjectChecksumHasher?, ReadOnlyMemory<byte>))state!;
                md5.AppendData(data.Span);
                checksum?.Append(data.Span);
            },
            (md5, checksum, data),
            CancellationToken.None,
            TaskContinuationOptions.DenyChildAttach,
            TaskScheduler.Default);
    }
}
