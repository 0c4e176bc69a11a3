namespace ComIO.Storage;

/// <summary>The device or metadata store is not in a format this engine can open (or must not be overwritten).</summary>
public sealed class StorageFormatException : Exception
{
    public StorageFormatException(string message)
        : base(message)
    {
    }

    public StorageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
