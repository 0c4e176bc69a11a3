using System.Diagnostics.Metrics;

namespace ComIO.Bench.S3;

/// <summary>
/// Counts the storage engines' commit groups in this process (the <c>comio.storage.commit_group_size</c> histogram):
/// how many groups were made durable and how many operations they carried, so a cell can report its mean group size.
/// </summary>
internal sealed class CommitGroupCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _groups;
    private long _operations;

    public CommitGroupCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ComIO.Storage" && instrument.Name == "comio.storage.commit_group_size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref _groups);
            Interlocked.Add(ref _operations, size);
        });
        _listener.Start();
    }

    /// <summary>Groups committed and operations they carried, so far.</summary>
    public (long Groups, long Operations) Snapshot => (Interlocked.Read(ref _groups), Interlocked.Read(ref _operations));

    public void Dispose() => _listener.Dispose();
}
