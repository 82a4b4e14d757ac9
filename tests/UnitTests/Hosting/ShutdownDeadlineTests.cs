using DeviceTwins.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DeviceTwins.UnitTests.Hosting;

public sealed class ShutdownDeadlineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StopOverrunningTimeoutAndGrace_ExitsWithCode3()
    {
        var (lifetime, time, exits, deadline) = await StartAsync();
        lifetime.StopApplication();

        time.Advance(Timeout + ShutdownDeadline.Grace - TimeSpan.FromMilliseconds(1));
        Assert.Empty(exits);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await deadline.Fired.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([ShutdownDeadline.OverrunExitCode], exits);
        deadline.Dispose();
    }

    [Fact]
    public async Task HostDisposedInTime_NeverExits()
    {
        var (lifetime, time, exits, deadline) = await StartAsync();
        lifetime.StopApplication();
        time.Advance(Timeout);

        deadline.Dispose();
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.False(deadline.Fired.IsCompleted);
        Assert.Empty(exits);
    }

    [Fact]
    public async Task NoStop_NoWatch()
    {
        var (_, time, exits, deadline) = await StartAsync();
        time.Advance(TimeSpan.FromHours(1));

        Assert.Empty(exits);
        deadline.Dispose();
    }

    private static async Task<(ApplicationLifetime Lifetime, FakeTimeProvider Time, List<int> Exits, ShutdownDeadline Deadline)> StartAsync()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var time = new FakeTimeProvider();
        var exits = new List<int>();
        var deadline = new ShutdownDeadline(lifetime, time, Timeout, code => { lock (exits) { exits.Add(code); } }, NullLogger<ShutdownDeadline>.Instance);
        await deadline.StartAsync(CancellationToken.None);
        return (lifetime, time, exits, deadline);
    }
}
