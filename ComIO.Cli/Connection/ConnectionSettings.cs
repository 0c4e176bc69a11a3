namespace ComIO.Cli.Connection;

/// <summary>The effective connection settings after applying flags, environment and profile in that order.</summary>
public sealed record ConnectionSettings(SettingValue Endpoint, SettingValue AccessKey, SettingValue SecretKey, SettingValue Region);
