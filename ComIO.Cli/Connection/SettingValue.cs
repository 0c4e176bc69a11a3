namespace ComIO.Cli.Connection;

/// <summary>One resolved connection value and where it came from (flag, environment, profile, default).</summary>
public sealed record SettingValue(string? Value, string Source);
