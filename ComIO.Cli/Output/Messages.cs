using ComIO.Cli.Connection;

namespace ComIO.Cli.Output;

/// <summary>Informational lines on stderr, suppressed by <c>--quiet</c>; stdout stays reserved for results.</summary>
public static class Messages
{
    public static void Info(ConnectionOptions options, string message)
    {
        if (!options.Quiet)
        {
            Console.Error.WriteLine(message);
        }
    }
}
