namespace ComIO.ApiService.Encryption;

/// <summary>Encryption at rest settings (<c>Encryption__…</c>, YAML <c>encryption</c>). See docs/encryption.md.</summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "Encryption";

    /// <summary>Base64 of the 32-byte master key that wraps SSE-S3 data keys (or use <see cref="MasterKeyFile"/>).</summary>
    public string MasterKey { get; set; } = "";

    /// <summary>A file holding the base64 master key, outside the data devices (read at start-up).</summary>
    public string MasterKeyFile { get; set; } = "";

    /// <summary>
    /// Earlier master keys (base64), kept after a rotation so objects written under them stay readable; new objects always
    /// use <see cref="MasterKey"/>.
    /// </summary>
    public List<string> PreviousMasterKeys { get; set; } = [];

    /// <summary>Accept SSE-C over plain HTTP (AWS refuses it: the key would travel in the clear). Only for loopback tests.</summary>
    public bool AllowSseCOverHttp { get; set; }
}
