using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Makes invalid configuration fail start-up with one readable line naming the key (exit code 78, EX_CONFIG)
/// instead of a stack trace. Other unhandled exceptions keep the runtime's default report.
/// </summary>
public static class ConfigurationErrors
{
    public const int ExitCode = 78;

    private static int _installed;

    /// <summary>Call first in a service's Program; later calls do nothing (<c>AddComIOConfigurationFile</c> calls it too).</summary>
    public static void ExitCleanlyOnInvalidConfiguration()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            var error = e.ExceptionObject as Exception;
            while (error is AggregateException { InnerException: { } inner })
            {
                error = inner;
            }

            if (error is OptionsValidationException or InvalidConfigurationException or FileNotFoundException { FileName: not null })
            {
                Console.Error.WriteLine($"configuration error: {error.Message}");
                Environment.Exit(ExitCode);
            }
        };
    }
}
