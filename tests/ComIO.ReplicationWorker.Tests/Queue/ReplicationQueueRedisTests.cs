using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Tests.Harness;
using StackExchange.Redis;

namespace ComIO.ReplicationWorker.Tests.Queue;

/// <summary>The worker against a real redis-server: group creation and recovery, claiming, dead-lettering, acknowledgement order.</summary>
public sealed class ReplicationQueueRedisTests : IAsyncLifetime
{
    private static readonly string Stream = ReplicationStream.Name(WorkerHost.Site);
    private static readonly string DeadLetters = ReplicationStream.DeadLetterName(WorkerHost.Site);
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _client = null!;

    private IDatabase Db => _client.GetDatabase();

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _client = await _redis.ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task EnsureGroupAsync_CreatesStreamAndGroup_AndKeepsAnExistingGroupsState()
    {
        await using var worker = await WorkerHost.CreateAsync(_redis, new RecordingApplier(), new RecordingReporter(), start: false);

        await worker.Queue.EnsureGroupAsync();
        var groups = await Db.StreamGroupInfoAsync(Stream);
        Assert.Equal(ReplicationStream.ConsumerGroup, Assert.Single(groups).Name);

        await Db.StreamAddAsync(Stream, Entries.Put());
        await Db.StreamReadGroupAsync(Stream, ReplicationStream.ConsumerGroup, "someone", ">", 1);
        await worker.Queue.EnsureGroupAsync();
        Assert.Equal(1, (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Worker_AcknowledgesOnlyAfterTheNodeAcceptedTheCompletion()
    {
        var reporter = new RecordingReporter(open: false);
        var applier = new RecordingApplier();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter);
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        var id = await Db.StreamAddAsync(Stream, Entries.Put());
        await Eventually.TrueAsync(() => Task.FromResult(reporter.Calls > 0), "the worker reported to the node");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(applier.Applied);
        Assert.Equal(1, (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount);

        reporter.Gate.SetResult();
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 0,
            "the entry was acknowledged");
        var (node, completion) = Assert.Single(reporter.Reports);
        Assert.Equal("east-node1", node);
        Assert.Equal(new ReplicationCompletion(0, 7, "photos", "dir/object.bin", "v1", ReplicationCompletion.StatusCompleted), completion);
        Assert.Equal(id.ToString(), applier.Applied.Single().Id);
    }

    [Fact]
    public async Task Worker_RetriesTheNodeReportUntilAccepted_ThenAcknowledges()
    {
        var reporter = new RecordingReporter { Failures = 3 };
        await using var worker = await WorkerHost.CreateAsync(_redis, new RecordingApplier(), reporter);
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        await Db.StreamAddAsync(Stream, Entries.Put());
        await Eventually.TrueAsync(() => Task.FromResult(reporter.Reports.Count == 1), "the node accepted the report");
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 0,
            "the entry was acknowledged");
        Assert.Equal(4, reporter.Calls);
        Assert.Single(reporter.Reports);
    }

    [Fact]
    public async Task Worker_RecreatesTheGroup_WhenRedisRestartsEmpty()
    {
        var applier = new RecordingApplier();
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter);
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");
        await Db.StreamAddAsync(Stream, Entries.Put(versionId: "before"));
        await Eventually.TrueAsync(() => Task.FromResult(reporter.Reports.Count == 1), "the first entry was replicated");

        await _redis.RestartEmptyAsync();
        // A node re-publishes after the restart; the stream is created by its XADD, without the group.
        await Eventually.TrueAsync(async () => !(await Db.StreamAddAsync(Stream, Entries.Put(versionId: "after"))).IsNull, "XADD after the restart");

        await Eventually.TrueAsync(() => Task.FromResult(reporter.Reports.Any(r => r.Completion.VersionId == "after")),
            "the entry added after the restart was replicated", timeoutSeconds: 30);
        Assert.Contains(await Db.StreamGroupInfoAsync(Stream), g => g.Name == ReplicationStream.ConsumerGroup);
    }

    [Fact]
    public async Task Claimer_TakesOverAnEntryLeftPendingByADeadConsumer()
    {
        await Db.StreamCreateConsumerGroupAsync(Stream, ReplicationStream.ConsumerGroup, "0", createStream: true);
        var id = await Db.StreamAddAsync(Stream, Entries.Put());
        var taken = await Db.StreamReadGroupAsync(Stream, ReplicationStream.ConsumerGroup, "dead-worker", ">", 1);
        Assert.Single(taken);

        var applier = new RecordingApplier();
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter);

        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 0,
            "the dead consumer's entry was claimed, applied and acknowledged");
        Assert.Equal(id.ToString(), Assert.Single(applier.Applied).Id);
        Assert.Single(reporter.Reports);
    }

    [Fact]
    public async Task AnEntryInProgress_IsKeptAlive_SoAnotherWorkerDoesNotClaimIt()
    {
        var slow = new SlowApplier(TimeSpan.FromSeconds(3)); // three claim idle times
        var other = new RecordingApplier();
        await using var first = await WorkerHost.CreateAsync(_redis, slow, new RecordingReporter());
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");
        await Db.StreamAddAsync(Stream, Entries.Put());
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 1,
            "the first worker took the entry");

        await using var second = await WorkerHost.CreateAsync(_redis, other, new RecordingReporter());
        await Eventually.TrueAsync(() => Task.FromResult(slow.Applied.Count == 1), "the first worker finished");

        Assert.Empty(other.Applied);
    }

    [Fact]
    public async Task Worker_KeepsAtMostConcurrencyEntriesInFlight()
    {
        var slow = new SlowApplier(TimeSpan.FromMilliseconds(150));
        await using var worker = await WorkerHost.CreateAsync(_redis, slow, new RecordingReporter(), new() { ["Replication:Concurrency"] = "3" });
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        for (var i = 0; i < 12; i++)
        {
            await Db.StreamAddAsync(Stream, Entries.Put(versionId: $"v{i}", sequence: i + 1));
        }

        await Eventually.TrueAsync(() => Task.FromResult(slow.Applied.Count == 12), "all entries applied");
        Assert.Equal(3, slow.MaxRunning);
    }

    [Fact]
    public async Task Worker_AcknowledgesARepublishedChange_WhileItsFirstEntryIsInFlight()
    {
        var slow = new SlowApplier(TimeSpan.FromSeconds(2));
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, slow, reporter);
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        await Db.StreamAddAsync(Stream, Entries.Put(sequence: 42));
        await Eventually.TrueAsync(() => Task.FromResult(slow.Running > 0), "the first entry is being applied");
        await Db.StreamAddAsync(Stream, Entries.Put(sequence: 42)); // the node re-published the same outbox entry

        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 0 && slow.Applied.Count == 1,
            "both entries acknowledged");
        Assert.Single(slow.Applied);
        Assert.Single(reporter.Reports);
    }

    [Fact]
    public async Task Processor_GivesUpAtOnce_OnAPermanentFailure()
    {
        var applier = new RecordingApplier { FailPermanently = true };
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter, new() { ["Replication:MaxAttempts"] = "50" });
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        var id = await Db.StreamAddAsync(Stream, Entries.Put());
        await Eventually.TrueAsync(async () => await Db.StreamLengthAsync(DeadLetters) == 1, "the entry was dead-lettered");

        // The dead letter is written before the node is told and the entry acknowledged: wait for the acknowledgement.
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 0,
            "the entry was acknowledged");
        Assert.Equal(1, applier.AttemptsOf(id.ToString()));
        Assert.Equal(ReplicationCompletion.StatusFailed, Assert.Single(reporter.Reports).Completion.Status);
    }

    [Fact]
    public async Task Processor_DeadLettersAfterMaxAttempts_ReportsFailed_AndAcknowledges()
    {
        var applier = new RecordingApplier { FailuresBeforeSuccess = int.MaxValue };
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter);
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        var fields = Entries.Put();
        var id = await Db.StreamAddAsync(Stream, fields);
        await Eventually.TrueAsync(async () => await Db.StreamLengthAsync(DeadLetters) == 1, "the entry was dead-lettered");
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync(Stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 0,
            "the entry was acknowledged");

        Assert.Equal(3, applier.AttemptsOf(id.ToString()));
        var dead = Assert.Single(await Db.StreamRangeAsync(DeadLetters));
        var values = dead.Values.ToDictionary(v => v.Name.ToString(), v => v.Value.ToString());
        foreach (var field in fields)
        {
            Assert.Equal(field.Value.ToString(), values[field.Name.ToString()]);
        }

        Assert.Equal("3", values[ReplicationStream.Attempts]);
        Assert.Contains("west is down", values[ReplicationStream.Error], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(values[ReplicationStream.FailedAt], out _));
        Assert.Equal(ReplicationCompletion.StatusFailed, Assert.Single(reporter.Reports).Completion.Status);
    }

    [Fact]
    public async Task Processor_KeepsRetryingPastMaxAttempts_WhileTheEntryIsYoungerThanMinRetryTime()
    {
        var applier = new RecordingApplier { FailuresBeforeSuccess = 6 };
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter,
            new() { ["Replication:MaxAttempts"] = "2", ["Replication:MinRetryTime"] = "1h" });
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        var id = await Db.StreamAddAsync(Stream, Entries.Put());
        await Eventually.TrueAsync(() => Task.FromResult(reporter.Reports.Count == 1), "the entry was replicated");

        Assert.Equal(7, applier.AttemptsOf(id.ToString()));
        Assert.Equal(ReplicationCompletion.StatusCompleted, reporter.Reports.Single().Completion.Status);
        Assert.Equal(0, await Db.StreamLengthAsync(DeadLetters));
    }

    [Fact]
    public async Task Processor_CountsEarlierDeliveries_SoAPoisonEntryCannotLoopThroughCrashes()
    {
        await Db.StreamCreateConsumerGroupAsync(Stream, ReplicationStream.ConsumerGroup, "0", createStream: true);
        var id = await Db.StreamAddAsync(Stream, Entries.Put());
        await Db.StreamReadGroupAsync(Stream, ReplicationStream.ConsumerGroup, "crashed-1", ">", 1);
        for (var i = 2; i <= 4; i++)
        {
            await Db.StreamClaimAsync(Stream, ReplicationStream.ConsumerGroup, $"crashed-{i}", 0, [id]); // each worker died mid-way
        }

        var applier = new RecordingApplier { FailuresBeforeSuccess = int.MaxValue };
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter);

        await Eventually.TrueAsync(async () => await Db.StreamLengthAsync(DeadLetters) == 1, "the entry was dead-lettered");
        Assert.Equal(1, applier.AttemptsOf(id.ToString()));
        var dead = Assert.Single(await Db.StreamRangeAsync(DeadLetters));
        Assert.Equal("5", dead.Values.Single(v => v.Name == ReplicationStream.Attempts).Value.ToString());
    }

    [Fact]
    public async Task Processor_DeadLettersAnInvalidEntry_WithoutApplyingIt()
    {
        var applier = new RecordingApplier();
        var reporter = new RecordingReporter();
        await using var worker = await WorkerHost.CreateAsync(_redis, applier, reporter);
        await Eventually.TrueAsync(() => Db.KeyExistsAsync(Stream), "the worker created the stream");

        await Db.StreamAddAsync(Stream, Entries.Put(destinations: "not json"));
        await Eventually.TrueAsync(async () => await Db.StreamLengthAsync(DeadLetters) == 1, "the entry was dead-lettered");
        await Eventually.TrueAsync(() => Task.FromResult(reporter.Reports.Count == 1), "FAILED was reported");

        Assert.Empty(applier.Applied);
        Assert.Equal(ReplicationCompletion.StatusFailed, reporter.Reports.Single().Completion.Status);
        var dead = Assert.Single(await Db.StreamRangeAsync(DeadLetters));
        Assert.Contains("destinations", dead.Values.Single(v => v.Name == ReplicationStream.Error).Value.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleAsync_ReportsDepthLagAndDeadLetters()
    {
        await using var worker = await WorkerHost.CreateAsync(_redis, new RecordingApplier(), new RecordingReporter(), start: false);
        await worker.Queue.EnsureGroupAsync();
        var old = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeMilliseconds();
        await Db.StreamAddAsync(Stream, Entries.Put(), messageId: $"{old}-0");
        await Db.StreamAddAsync(Stream, Entries.Put());
        await Db.StreamAddAsync(Stream, Entries.Put());
        await Db.StreamReadGroupAsync(Stream, ReplicationStream.ConsumerGroup, "c", ">", 1);
        await Db.StreamAddAsync(DeadLetters, Entries.Put());

        var sample = await worker.Queue.SampleAsync(WorkerHost.Site, DateTimeOffset.UtcNow);

        Assert.Equal(3, sample.Depth);
        Assert.InRange(sample.OldestAge, TimeSpan.FromMinutes(2.9), TimeSpan.FromMinutes(4));
        Assert.Equal(1, sample.DeadLetterLength);
    }
}
