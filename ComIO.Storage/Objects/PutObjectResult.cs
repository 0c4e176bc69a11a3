namespace ComIO.Storage;

/// <summary>Outcome of a put: <see cref="Object"/> is set when <see cref="Status"/> is <see cref="EngineStatus.Ok"/>.</summary>
public sealed class PutObjectResult
{
    public required EngineStatus Status { get; init; }

    public ObjectRecord? Object { get; init; }

    /// <summary>Sequence of the outbox entry committed with the object, when <see cref="PutObjectRequest.OutboxPayload"/> was set.</summary>
    public long? OutboxSequence { get; init; }
}
