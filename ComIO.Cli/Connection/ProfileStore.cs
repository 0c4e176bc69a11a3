namespace ComIO.Cli.Connection;

/// <summary>
/// The profile file <c>~/.comio/config</c> (or <c>$COMIO_CONFIG_DIR/config</c>): one <c>key = value</c> per line,
/// <c>#</c> comments. Keys: <c>endpoint</c>, <c>access_key</c>, <c>secret_key</c>, <c>region</c>.
/// </summary>
public sealed class ProfileStore
{
    /// <summary>Keys the profile accepts, in display order.</summary>
    public static readonly IReadOnlyList<string> Keys = ["endpoint", "access_key", "secret_key", "region"];

    public ProfileStore(string? directory = null)
    {
        var fromEnv = Environment.GetEnvironmentVariable("COMIO_CONFIG_DIR");
        var dir = directory
            ?? (string.IsNullOrEmpty(fromEnv) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".comio") : fromEnv);
        FilePath = Path.Combine(dir, "config");
    }

    public string FilePath { get; }

    /// <summary>Normalizes a user-typed key (<c>access-key</c>, <c>ACCESS_KEY</c>) or returns null when unknown.</summary>
    public static string? NormalizeKey(string key)
    {
        var normalized = key.Trim().ToLowerInvariant().Replace('-', '_');
        return Keys.Contains(normalized) ? normalized : null;
    }

    public IReadOnlyDictionary<string, string> Read()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(FilePath))
        {
            return values;
        }

        foreach (var raw in File.ReadAllLines(FilePath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('['))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = NormalizeKey(line[..eq]);
            if (key is not null)
            {
                values[key] = line[(eq + 1)..].Trim();
            }
        }

        return values;
    }

    public void Set(string key, string value)
    {
        var values = new Dictionary<string, string>(Read(), StringComparer.Ordinal) { [key] = value };
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var lines = new List<string> { "# comio CLI profile (written by `comio config set`)" };
        lines.AddRange(Keys.Where(values.ContainsKey).Select(k => $"{k} = {values[k]}"));
        var temp = FilePath + ".tmp";
        File.WriteAllLines(temp, lines);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, FilePath, overwrite: true);
    }
}
