namespace ComIO.Storage.Objects;

/// <summary>
/// Runs work items on the thread pool one at a time, in the order they were queued: a PUT queues each arrived range of
/// its body (digests, and encryption where asked) here, so receiving the rest, CRC32C and device writes go on while the
/// whole-object digests, which cannot be split, run on another core.
/// </summary>
/// <remarks>
/// An item that throws fails every later one (their work would build on it): <see cref="Completion"/> then faults. Not
/// thread-safe: one caller queues. The caller keeps whatever an item touches alive until <see cref="Completion"/> (as of
/// the queueing, or later) has completed.
/// </remarks>
internal sealed class SerialWorkQueue
{
    private Task _tail = Task.CompletedTask;

    /// <summary>Completes when every item queued so far has run; faults if one failed.</summary>
    public Task Completion => _tail;

    public void Enqueue<TState>(Action<TState> work, TState state)
    {
        _tail = _tail.ContinueWith(
            static (previous, boxed) =>
            {
                previous.GetAwaiter().GetResult();
                var (work, state) = ((Action<TState>, TState))boxed!;
                work(state);
            },
            (work, state),
            CancellationToken.None,
            TaskContinuationOptions.DenyChildAttach,
            TaskScheduler.Default);
    }
}
