using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Configuration;

/// <summary>Rejects settings the worker cannot run with; each message names the key (start-up fails, exit code 78).</summary>
public sealed class ReplicationWorkerOptionsValidator : IValidateOptions<ReplicationWorkerOptions>
{
    /// <summary>S3's smallest part (except the last) and largest part / single PUT.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    public const long MaxSinglePutSize = 5L * 1024 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ReplicationWorkerOptions options)
    {
        var errors = new List<string>();
        const string S = ReplicationWorkerOptions.SectionName;
        if (options.SourceEndpoint is null)
        {
            errors.Add($"{S}:SourceEndpoint is required (the local site's S3 endpoint URL).");
        }

        if (string.IsNullOrWhiteSpace(options.AccessKey))
        {
            errors.Add($"{S}:AccessKey is required.");
        }

        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            errors.Add($"{S}:SecretKey is required.");
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            errors.Add($"{S}:Region must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            errors.Add($"{S}:ConsumerGroup must not be empty.");
        }

        foreach (var (site, endpoint) in options.Sites)
        {
            if (endpoint.Endpoint is null)
            {
                errors.Add($"{S}:Sites:{site}:Endpoint is required.");
            }
        }

        Check(errors, options.Concurrency is >= 1 and <= 1024, $"{S}:Concurrency must be from 1 to 1024.");
        Check(errors, options.PartConcurrency is >= 1 and <= 64, $"{S}:PartConcurrency must be from 1 to 64.");
        Check(errors, options.MaxAttempts >= 1, $"{S}:MaxAttempts must be at least 1.");
        Check(errors, options.InitialBackoff > TimeSpan.Zero, $"{S}:InitialBackoff must be positive.");
        Check(errors, options.MaxBackoff >= options.InitialBackoff, $"{S}:MaxBackoff must be at least InitialBackoff.");
        Check(errors, options.ClaimIdleTime >= TimeSpan.FromSeconds(1), $"{S}:ClaimIdleTime must be at least 1s.");
        Check(errors, options.PartSize is >= MinPartSize and <= MaxSinglePutSize, $"{S}:PartSize must be from 5 MiB to 5 GiB.");
        Check(errors, options.MultipartThreshold >= options.PartSize && options.MultipartThreshold <= MaxSinglePutSize,
            $"{S}:MultipartThreshold must be from PartSize to 5 GiB.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }
}
