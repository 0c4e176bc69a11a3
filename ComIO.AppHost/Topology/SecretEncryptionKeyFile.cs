using System.Security.Cryptography;

namespace ComIO.AppHost.Topology;

/// <summary>
/// The local topology's key for encrypting users' secret access keys: 32 random bytes, base64, created once in a file
/// readable only by the owner, and read back on every later start (so stored user secrets stay usable).
/// </summary>
internal static class SecretEncryptionKeyFile
{
    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(path, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(key);
        }

        return key;
    }
}
