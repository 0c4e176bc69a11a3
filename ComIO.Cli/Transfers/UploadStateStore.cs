using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComIO.Cli.Connection;

namespace ComIO.Cli.Transfers;

/// <summary>
/// State files of interrupted uploads, one JSON file per upload in <c>~/.comio/uploads/</c> (the profile directory,
/// <c>COMIO_CONFIG_DIR</c> relocates it), named by a hash of endpoint, bucket, key, the local file's full path, size and
/// modification time. Written atomically (temporary file + rename) before the first part is sent, deleted after the
/// upload completes. A file that does not parse is ignored and removed.
/// </summary>
public sealed class UploadStateStore
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public UploadStateStore(string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetDirectoryName(new ProfileStore().FilePath)!, "uploads");
    }

    public string Directory { get; }

    /// <summary>The state file name (without directory) of an upload identity.</summary>
    public static string FileNameFor(string endpoint, string bucket, string key, string file, long size, long modifiedUtcTicks)
    {
        var identity = string.Join('\n', endpoint, bucket, key, file, size.ToString(CultureInfo.InvariantCulture), modifiedUtcTicks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32] + ".json";
    }

    public string PathOf(UploadState state) =>
        Path.Combine(Directory, FileNameFor(state.Endpoint, state.Bucket, state.Key, state.File, state.Size, state.ModifiedUtcTicks));

    /// <summary>The saved state of exactly this upload identity, or null.</summary>
    public UploadState? Load(string endpoint, string bucket, string key, string file, long size, long modifiedUtcTicks)
    {
        var state = Read(Path.Combine(Directory, FileNameFor(endpoint, bucket, key, file, size, modifiedUtcTicks)));
        return state is not null && state.Endpoint == endpoint && state.Bucket == bucket && state.Key == key && state.File == file
            && state.Size == size && state.ModifiedUtcTicks == modifiedUtcTicks ? state : null;
    }

    /// <summary>Saved uploads of the same endpoint, bucket, key and local path whose file has since changed (size or mtime).</summary>
    public List<UploadState> FindStale(UploadState current)
    {
        var stale = new List<UploadState>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return stale;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            if (Read(path) is { } state && state.SameTarget(current)
                && (state.Size != current.Size || state.ModifiedUtcTicks != current.ModifiedUtcTicks))
            {
                stale.Add(state);
            }
        }

        return stale;
    }

    public void Save(UploadState state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(state);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state, Options));
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(UploadState state) => File.Delete(PathOf(state));

    private static UploadState? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<UploadState>(File.ReadAllText(path), Options);
            if (state is { Version: UploadState.CurrentVersion, PartSize: > 0 } && !string.IsNullOrEmpty(state.UploadId))
            {
                return state;
            }
        }
        catch (JsonException)
        {
        }

        File.Delete(path);
        return null;
    }
}
