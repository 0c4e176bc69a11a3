using System.Net.Http;
using Amazon.Runtime;
using Amazon.S3;

namespace ComIO.Cli.Output;

/// <summary>Runs a command body and turns every failure into a one-line message on stderr and a non-zero exit code.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(bool verbose, Func<Task> body)
    {
        try
        {
            await body();
            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            var (message, code) = Describe(ex);
            await Console.Error.WriteLineAsync("comio: " + message);
            if (verbose)
            {
                await Console.Error.WriteLineAsync(ex.ToString());
            }

            return code;
        }
    }

    private static (string Message, int Code) Describe(Exception ex) => ex switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        AmazonS3Exception s3 => (DescribeS3(s3), ExitCodes.Failure),
        AmazonServiceException service when service.InnerException is HttpRequestException http => (OneLine(http.Message), ExitCodes.Failure),
        AmazonServiceException service => ($"{service.ErrorCode ?? ((int)service.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {OneLine(service.Message)}", ExitCodes.Failure),
        HttpRequestException http => (OneLine(http.Message), ExitCodes.Failure),
        OperationCanceledException => ("cancelled", ExitCodes.Failure),
        IOException or UnauthorizedAccessException => (OneLine(ex.Message), ExitCodes.Failure),
        _ => ($"{ex.GetType().Name}: {OneLine(ex.Message)}", ExitCodes.Failure),
    };

    private static string DescribeS3(AmazonS3Exception s3)
    {
        var code = string.IsNullOrEmpty(s3.ErrorCode) ? ((int)s3.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : s3.ErrorCode;
        var message = string.IsNullOrEmpty(s3.Message) ? s3.StatusCode.ToString() : s3.Message;
        return $"{code}: {OneLine(message)}";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
