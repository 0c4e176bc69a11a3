namespace ComIO.Bench.Soak;

/// <summary>The server answered, but not what the client wrote (bytes, size, ETag, listing or a deleted key).</summary>
internal sealed class SoakMismatchException(string message) : Exception(message);
