using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Copying;
using ComIO.ReplicationWorker.Queue;
using ComIO.ReplicationWorker.Telemetry;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Processing;

/// <summary>
/// Applies an entry to its destinations in order: a <c>put</c> is copied by <see cref="ObjectCopier"/>, a
/// <c>delete-marker</c> is a DELETE with the replica delete-marker marks (idempotent on the destination). A destination
/// done on an earlier attempt is skipped by the copier's HEAD, so a retry redoes only what is missing. The first failing
/// destination stops the attempt with <see cref="DestinationFailedException"/>.
/// </summary>
public sealed class EntryApplier(IReplicaTargets targets, ObjectCopier copier, ReplicationTelemetry telemetry, IOptions<LocalSiteOptions> site)
    : IEntryApplier
{
    public async Task ApplyAsync(ReplicationEntry entry, CancellationToken cancellationToken)
    {
        foreach (var destination in entry.Destinations)
        {
            var target = targets.Find(destination.Site)
                ?? throw new DestinationFailedException(destination.Site, $"Destination site '{destination.Site}' is not configured (Replication:Sites:{destination.Site}:Endpoint).");
            CopyOutcome outcome;
            try
            {
                outcome = entry.Operation == ReplicationStream.OperationDeleteMarker
                    ? await ApplyDeleteMarkerAsync(entry, destination, target, cancellationToken)
                    : await copier.CopyAsync(entry.Bucket!, entry.Key!, entry.VersionId!, destination.Bucket, target, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DestinationFailedException(destination.Site, $"{destination.Site}/{destination.Bucket}: {e.Message}", e);
            }

            telemetry.RecordApplied(destination.Site, entry.Operation, outcome.Name, outcome.Bytes);
        }
    }

    private async Task<CopyOutcome> ApplyDeleteMarkerAsync(ReplicationEntry entry, ReplicationDestination destination, IReplicaTarget target,
        CancellationToken cancellationToken)
    {
        await target.DeleteAsync(destination.Bucket, entry.Key!, ReplicaHeaderMapping.DeleteMarkerMarks(entry.VersionId!, site.Value.Name), cancellationToken);
        return CopyOutcome.Deleted;
    }
}
