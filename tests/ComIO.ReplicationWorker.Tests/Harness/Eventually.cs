namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>Polls a condition until it holds or a deadline passes (then fails the test with <c>what</c>).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (StackExchange.Redis.RedisException)
            {
                // Redis restarting: ask again.
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out after {timeoutSeconds}s waiting for: {what}");
    }
}
