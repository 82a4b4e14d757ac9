using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace DeviceTwins.Analytics.Alerts;

/// <summary>Deterministic alert ids: a hash of the subject, the raise's ordinal and its event time, so a replay yields the same id.</summary>
public static class AlertIds
{
    /// <summary>The id of the <paramref name="ordinal"/>-th raise of <paramref name="subject"/> at <paramref name="raisedAt"/>: 32 hex digits.</summary>
    public static string Of(AlertSubject subject, long ordinal, DateTimeOffset raisedAt)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{subject.DeviceId}\n{subject.Rule}\n{subject.Metric}\n{ordinal}\n{raisedAt.ToUnixTimeMilliseconds()}");
        return Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text)));
    }
}
