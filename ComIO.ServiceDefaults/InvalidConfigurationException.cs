namespace Microsoft.Extensions.Hosting;

/// <summary>A required configuration key is missing or invalid; the message names the key.</summary>
public sealed class InvalidConfigurationException(string message) : Exception(message);
