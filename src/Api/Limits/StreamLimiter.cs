using System.Diagnostics.Metrics;
using DeviceTwins.Api.Configuration;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Limits;

/// <summary>Counts open event streams per process and per credential, and refuses one beyond either cap.</summary>
public sealed class StreamLimiter
{
    private readonly ApiLimitOptions _options;
    private readonly Dictionary<string, int> _perCredential = new(StringComparer.Ordinal);
    private int _total;

    public StreamLimiter(IOptions<ApiLimitOptions> options, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        meters?.Create(ApiMetrics.MeterName).CreateObservableGauge("devicetwins.api.streams_open", () => Open, "{stream}", "Event streams open (alerts, twin changes, fleet changes)");
    }

    /// <summary>Streams open now.</summary>
    public int Open => Volatile.Read(ref _total);

    /// <summary>A lease for one more stream of <paramref name="credential"/>, or null and which cap refused it.</summary>
    public IDisposable? TryAcquire(string credential, out StreamLimit refusedBy)
    {
        ArgumentNullException.ThrowIfNull(credential);
        lock (_perCredential)
        {
            if (_total >= _options.MaxStreams)
            {
                refusedBy = StreamLimit.Process;
                return null;
            }

            _perCredential.TryGetValue(credential, out var open);
            if (open >= _options.MaxStreamsPerCredential)
            {
                refusedBy = StreamLimit.Credential;
                return null;
            }

            _perCredential[credential] = open + 1;
            _total++;
        }

        refusedBy = StreamLimit.None;
        return new Lease(this, credential);
    }

    private void Release(string credential)
    {
        lock (_perCredential)
        {
            _total--;
            if (--_perCredential[credential] == 0)
            {
                _perCredential.Remove(credential);
            }
        }
    }

    private sealed class Lease(StreamLimiter owner, string credential) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(credential);
            }
        }
    }
}
