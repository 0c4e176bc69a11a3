using ComIO.Testing;
using StackExchange.Redis;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>
/// A real <c>redis-server</c> (<see cref="RedisChildProcess"/>) in a temporary folder. It keeps nothing on disk, so
/// <see cref="RestartEmptyAsync"/> models "Redis restarted and lost everything". Killed and deleted on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly RedisChildProcess _process;

    private RedisServer(string directory, RedisChildProcess process)
    {
        _directory = directory;
        _process = process;
    }

    public int Port => _process.Port;

    public string ConnectionString => $"{_process.Endpoint},abortConnect=false,connectTimeout=2000,syncTimeout=3000";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("comio-redis-").FullName;
        return new RedisServer(directory, await RedisChildProcess.StartAsync(directory));
    }

    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionString);

    /// <summary>Kills the server and starts an empty one on the same port.</summary>
    public Task RestartEmptyAsync() => _process.RestartEmptyAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
