namespace ComIO.Storage;

public sealed class StorageEngine
{
}
