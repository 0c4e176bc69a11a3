using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ComIO.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ComIO.IntegrationTests.Faults;

/// <summary>
/// Finds, kills (SIGKILL) and restarts the real processes behind the topology's resources. A replicated resource (the API
/// service) has one instance per replica, each with its own resource id. Aspire starts projects through <c>dotnet run</c>,
/// whose pid the resource reports; the service is its child (<c>/proc/{pid}/task/{pid}/children</c>). Executables (Redis)
/// are the reported process themselves.
/// </summary>
public sealed class TopologyProcesses(Func<DistributedApplication> app)
{
    public TopologyProcesses(TopologyFixture topology)
        : this(() => topology.App)
    {
    }

    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Resource ids of the instances of <paramref name="resourceName"/> (one per replica), from the notification stream,
    /// which replays the current state of every instance first.
    /// </summary>
    public async Task<IReadOnlyList<string>> InstancesAsync(string resourceName, CancellationToken ct)
    {
        var model = app().Services.GetRequiredService<DistributedApplicationModel>();
        var resource = model.Resources.Single(r => r.Name == resourceName);
        var replicas = resource.TryGetLastAnnotation<ReplicaAnnotation>(out var annotation) ? annotation.Replicas : 1;
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watch.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var e in app().ResourceNotifications.WatchAsync(watch.Token))
            {
                if (e.Resource.Name == resourceName && ids.Add(e.ResourceId) && ids.Count == replicas)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && ids.Count > 0)
        {
        }

        return [.. ids];
    }

    /// <summary>Kills the instance's service process with SIGKILL, waits until it is gone and returns its pid.</summary>
    public int Kill(string instanceId, string commandLineMarker)
    {
        var pid = ServiceProcessId(instanceId, commandLineMarker);
        if (!CommandLine(pid).Contains(commandLineMarker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{instanceId}: process {pid} is not {commandLineMarker} ({CommandLine(pid)}).");
        }

        using var process = Process.GetProcessById(pid);
        process.Kill(); // SIGKILL: no shutdown, no flush beyond what was acknowledged
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException($"{instanceId}: process {pid} survived SIGKILL.");
        }

        return pid;
    }

    /// <summary>CPU time the instance's service process has used so far (user + system).</summary>
    public TimeSpan ProcessorTime(string instanceId, string commandLineMarker)
    {
        using var process = Process.GetProcessById(ServiceProcessId(instanceId, commandLineMarker));
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// Starts a killed instance again through the AppHost (the dashboard's Start command) and waits until it runs and
    /// reports healthy. A start that fails before the process runs (the launcher, not ComIO) is retried.
    /// </summary>
    public async Task RestartAsync(string instanceId, CancellationToken ct)
    {
        var commands = app().Services.GetRequiredService<ResourceCommandService>();
        var deadline = DateTime.UtcNow + RestartTimeout;
        await WaitUntilAsync(instanceId, s => s.State?.Text != KnownResourceStates.Running, deadline, ct);
        while (true)
        {
            var started = await commands.ExecuteCommandAsync(instanceId, KnownResourceCommands.StartCommand, ct);
            if (started.Success && await WaitUntilAsync(instanceId, IsHealthy, DateTime.UtcNow + TimeSpan.FromSeconds(60), ct, throwOnTimeout: false))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{instanceId} did not come back healthy in {RestartTimeout} (start: {started.Success} {started.Message}; now {StateOf(instanceId)}).");
            }

            await Task.Delay(1000, ct);
        }
    }

    /// <summary>Waits until every instance of every resource runs and reports healthy.</summary>
    public async Task WaitAllHealthyAsync(IEnumerable<string> resourceNames, CancellationToken ct)
    {
        foreach (var name in resourceNames)
        {
            foreach (var instance in await InstancesAsync(name, ct))
            {
                await WaitUntilAsync(instance, IsHealthy, DateTime.UtcNow + RestartTimeout, ct);
            }
        }
    }

    private static bool IsHealthy(CustomResourceSnapshot s) =>
        s.State?.Text == KnownResourceStates.Running && s.HealthStatus == HealthStatus.Healthy;

    /// <summary>An instance's state, health and exit code as the AppHost reports them now (for failure messages).</summary>
    private string StateOf(string instanceId) =>
        app().ResourceNotifications.TryGetCurrentState(instanceId, out var current)
            ? $"{current.Snapshot.State?.Text}, {current.Snapshot.HealthStatus}, exit code {current.Snapshot.ExitCode}"
            : "no state reported";

    private async Task<bool> WaitUntilAsync(string instanceId, Func<CustomResourceSnapshot, bool> condition, DateTime deadline, CancellationToken ct, bool throwOnTimeout = true)
    {
        while (true)
        {
            if (app().ResourceNotifications.TryGetCurrentState(instanceId, out var current) && condition(current.Snapshot))
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                if (throwOnTimeout)
                {
                    throw new TimeoutException($"{instanceId} did not reach the expected state (now {StateOf(instanceId)}).");
                }

                return false;
            }

            await Task.Delay(200, ct);
        }
    }

    private int ServiceProcessId(string instanceId, string commandLineMarker)
    {
        if (!app().ResourceNotifications.TryGetCurrentState(instanceId, out var current)
            || current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is not { } pidValue)
        {
            throw new InvalidOperationException($"{instanceId} reports no process id.");
        }

        var launcher = Convert.ToInt32(pidValue, CultureInfo.InvariantCulture);
        var childrenFile = $"/proc/{launcher}/task/{launcher}/children";
        var children = File.Exists(childrenFile)
            ? File.ReadAllText(childrenFile)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
                .Where(c => CommandLine(c).Contains(commandLineMarker, StringComparison.Ordinal))
                .ToList()
            : [];
        return children.Count == 1 ? children[0] : launcher;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
