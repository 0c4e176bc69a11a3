using System.Diagnostics.Metrics;

namespace ComIO.Storage;

/// <summary>Instruments of the "ComIO.Storage" meter (one meter per engine instance). Thread-safe.</summary>
internal sealed class StorageMetrics : IDisposable
{
    public const string MeterName = "ComIO.Storage";

    private readonly Meter _meter;
    private readonly Counter<long> _checksumFailures;
    private readonly Counter<long> _bytesWritten;
    private readonly Counter<long> _bytesRead;
    private readonly Counter<long> _objectsPut;
    private readonly Histogram<int> _commitGroupSize;
    private readonly Histogram<double> _commitDuration;
    private long _checksumFailureCount;

    public StorageMetrics(Guid deviceId)
    {
        _meter = new Meter(MeterName, null, [new KeyValuePair<string, object?>("comio.device.id", deviceId.ToString())]);
        _checksumFailures = _meter.CreateCounter<long>("comio.storage.checksum_failures", "{chunk}", "Chunks whose CRC32C did not match on read or scrub.");
        _bytesWritten = _meter.CreateCounter<long>("comio.storage.bytes_written", "By", "Object bytes written (device and inline).");
        _bytesRead = _meter.CreateCounter<long>("comio.storage.bytes_read", "By", "Object bytes returned to readers.");
        _objectsPut = _meter.CreateCounter<long>("comio.storage.objects_put", "{object}", "Objects committed by PutObject.");
        _commitGroupSize = _meter.CreateHistogram<int>("comio.storage.commit_group_size", "{operation}", "Operations sharing one device flush and one metadata sync.");
        _commitDuration = _meter.CreateHistogram<double>("comio.storage.commit_duration", "s", "Time to make one commit group durable (device flush + synced batch).");
    }

    public long ChecksumFailureCount => Interlocked.Read(ref _checksumFailureCount);

    public void ChecksumFailure()
    {
        Interlocked.Increment(ref _checksumFailureCount);
        _checksumFailures.Add(1);
    }

    public void BytesWritten(long bytes) => _bytesWritten.Add(bytes);

    public void BytesRead(long bytes) => _bytesRead.Add(bytes);

    public void ObjectPut() => _objectsPut.Add(1);

    public void CommitGroup(int size, TimeSpan duration)
    {
        _commitGroupSize.Record(size);
        _commitDuration.Record(duration.TotalSeconds);
    }

    public void Dispose() => _meter.Dispose();
}
