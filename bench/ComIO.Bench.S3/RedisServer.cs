using ComIO.Testing;
using StackExchange.Redis;

namespace ComIO.Bench.S3;

/// <summary>
/// A <c>redis-server</c> child process (<see cref="RedisChildProcess"/>, no persistence) in <c>parent/redis</c>, with the
/// harness's own connection to it; killed and the folder deleted on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly RedisChildProcess _process;
    private readonly string _directory;

    private RedisServer(RedisChildProcess process, string directory, ConnectionMultiplexer connection)
    {
        _process = process;
        _directory = directory;
        Connection = connection;
    }

    /// <summary>The connection string the services use (<c>ConnectionStrings:redis</c>).</summary>
    public string ConnectionString => _process.Endpoint;

    /// <summary>The harness's own connection (stream lengths).</summary>
    public ConnectionMultiplexer Connection { get; }

    public static async Task<RedisServer> StartAsync(string parent)
    {
        var directory = Path.Combine(parent, "redis");
        var process = await RedisChildProcess.StartAsync(directory, line => Console.Error.WriteLine("redis: " + line));
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync($"{process.Endpoint},abortConnect=true,connectTimeout=1000");
            await connection.GetDatabase().PingAsync();
            return new RedisServer(process, directory, connection);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async Task<long> StreamLengthAsync(string stream) => await Connection.GetDatabase().StreamLengthAsync(stream);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
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
