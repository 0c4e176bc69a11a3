using System.Security.Cryptography;

namespace ComIO.Cli.Server;

/// <summary>
/// The single-process server's key for encrypting users' secret access keys when the configuration names none: 32
/// random bytes, base64, created once (owner read/write only) next to the metadata and read back on every later start,
/// so stored user secrets stay usable across restarts.
/// </summary>
public static class EncryptionKeyFile
{
    public const string FileName = "secret-encryption.key";

    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key);
        }

        return key;
    }
}
