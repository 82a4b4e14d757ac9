using System.Globalization;
using System.Threading.Channels;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.ClusterTests;

/// <summary>Twin change observers through the cluster: each durable change (desired patch, telemetry, tags) is told once, in version order.</summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class TwinChangesPipelineTests(KafkaClusterFixture fixture)
{
    private const int MaxBytes = 32 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SubscribeChanges_UnknownDevice_IsNull()
    {
        var observer = fixture.Grains.CreateObjectReference<ITwinChangeObserver>(new Recorder());
        try
        {
            Assert.Null(await fixture.Grains.GetGrain<ITwinChangesGrain>("never-" + Guid.NewGuid().ToString("N")[..8]).SubscribeChangesAsync(observer));
        }
        finally
        {
            fixture.Grains.DeleteObjectReference<ITwinChangeObserver>(observer);
        }
    }

    [Fact]
    public async Task Subscriber_IsToldEachChange_DesiredTelemetryTags_InVersionOrder()
    {
        var device = "changes-" + Guid.NewGuid().ToString("N")[..8];
        var twin = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);
        Assert.Equal(1, (await twin.PatchDesiredAsync("""{"rate":5}""", null, MaxBytes, Caller.Platform)).Version);

        var recorder = new Recorder();
        var observer = fixture.Grains.CreateObjectReference<ITwinChangeObserver>(recorder);
        var changes = fixture.Grains.GetGrain<ITwinChangesGrain>(device);
        try
        {
            var current = await changes.SubscribeChangesAsync(observer);
            Assert.Equal(1, current!.Version);
            Assert.Equal("""{"rate":5}""", current.Desired);

            await twin.PatchDesiredAsync("""{"rate":10}""", null, MaxBytes, Caller.Platform);
            var desired = await recorder.NextAsync();
            Assert.Equal((2, """{"rate":10}"""), (desired.Version, desired.Desired));

            var ts = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
            await fixture.ProduceAsync("iot.telemetry", device, string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"temperature":21.5}}"""));
            var applied = await recorder.NextAsync();
            Assert.Equal((3, 1, 21.5), (applied.Version, applied.MessageCount, applied.Metrics["temperature"].Value));

            await twin.ReplaceTagsAsync(new Dictionary<string, string> { ["site"] = "plant-a" }, null, Caller.Platform);
            var tagged = await recorder.NextAsync();
            Assert.Equal((4, "plant-a"), (tagged.Version, tagged.Tags["site"]));

            // Unchanged tags are no change: nothing is told; the next change is version 5.
            await twin.ReplaceTagsAsync(new Dictionary<string, string> { ["site"] = "plant-a" }, null, Caller.Platform);
            await twin.PatchDesiredAsync("""{"rate":20}""", null, MaxBytes, Caller.Platform);
            Assert.Equal(5, (await recorder.NextAsync()).Version);

            await changes.UnsubscribeChangesAsync(observer);
        }
        finally
        {
            fixture.Grains.DeleteObjectReference<ITwinChangeObserver>(observer);
        }
    }

    private sealed class Recorder : ITwinChangeObserver
    {
        private readonly Channel<TwinSnapshot> _told = Channel.CreateUnbounded<TwinSnapshot>();

        public Task OnTwinChangedAsync(TwinSnapshot twin)
        {
            _told.Writer.TryWrite(twin);
            return Task.CompletedTask;
        }

        public Task OnCommandsChangedAsync(IReadOnlyList<DeviceTwins.Grains.Interfaces.Commands.CommandInfo> commands) => Task.CompletedTask;

        public async Task<TwinSnapshot> NextAsync() => await _told.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
    }
}
