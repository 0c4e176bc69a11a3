namespace ComIO.Bench.S3;

/// <summary>Appends one JSON object per line to the <c>--out</c> file (bench/run.sh's raw results) and echoes a summary on stderr.</summary>
internal sealed class ResultFile(string path)
{
    private readonly Lock _gate = new();

    public void Write(BenchResult result)
    {
        lock (_gate)
        {
            File.AppendAllText(path, result.ToJson() + "\n");
        }

        Console.Error.WriteLine(result.ToText());
    }
}
