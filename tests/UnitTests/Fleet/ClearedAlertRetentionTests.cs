using DeviceTwins.Grains.Alerts;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class ClearedAlertRetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Excess_NamesTheOldestClearedBeyondTheBound_NeverAnActiveOne()
    {
        var retention = new ClearedAlertRetention(retained: 2);
        var alerts = new Dictionary<string, AlertInfo>(StringComparer.Ordinal);
        Store(retention, alerts, Alert("active", AlertStates.Raised, null));
        Store(retention, alerts, Alert("c-3", AlertStates.Cleared, 3));
        Store(retention, alerts, Alert("c-1", AlertStates.Cleared, 1));
        Store(retention, alerts, Alert("c-4", AlertStates.Cleared, 4));
        Store(retention, alerts, Alert("c-2", AlertStates.Cleared, 2));

        Assert.Equal(4, retention.Count);
        Assert.Equal(["c-1", "c-2"], retention.Excess(alerts));
    }

    [Fact]
    public void Excess_SkipsAlertsThatWentOrClearedAgain()
    {
        var retention = new ClearedAlertRetention(retained: 1);
        var alerts = new Dictionary<string, AlertInfo>(StringComparer.Ordinal);
        Store(retention, alerts, Alert("gone", AlertStates.Cleared, 1));
        Store(retention, alerts, Alert("again", AlertStates.Cleared, 2));
        Store(retention, alerts, Alert("newest", AlertStates.Cleared, 3));
        // "gone" leaves the shard by another way; "again" is cleared once more, later than "newest".
        retention.Removed(alerts["gone"]);
        alerts.Remove("gone");
        Store(retention, alerts, Alert("again", AlertStates.Cleared, 9));

        Assert.Equal(2, retention.Count);
        Assert.Equal(["newest"], retention.Excess(alerts));
    }

    [Fact]
    public void Stored_ActiveTurningCleared_CountsOnce()
    {
        var retention = new ClearedAlertRetention(retained: 10);
        var alerts = new Dictionary<string, AlertInfo>(StringComparer.Ordinal);
        Store(retention, alerts, Alert("a", AlertStates.Raised, null));
        Store(retention, alerts, Alert("a", AlertStates.Acknowledged, null));
        Store(retention, alerts, Alert("a", AlertStates.Cleared, 5));
        Store(retention, alerts, Alert("a", AlertStates.Cleared, 5));

        Assert.Equal(1, retention.Count);
        Assert.Empty(retention.Excess(alerts));
    }

    private static void Store(ClearedAlertRetention retention, Dictionary<string, AlertInfo> alerts, AlertInfo alert)
    {
        alerts.TryGetValue(alert.Id, out var before);
        alerts[alert.Id] = alert;
        retention.Stored(before, alert);
    }

    private static AlertInfo Alert(string id, string state, int? clearedMinute) => new(
        id, "pump-1", "overheat", "threshold", "temperature", "critical", state, 91, T0, T0,
        null, clearedMinute is { } m ? T0.AddMinutes(m) : null, null, "above 90", false);
}
