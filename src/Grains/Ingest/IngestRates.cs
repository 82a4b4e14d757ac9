using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Ingest;

/// <summary>
/// Turns silos' cumulative samples into a fleet rate: per silo, the records applied between its last two samples over the
/// time between them, summed; a silo silent for longer than the expiry (stopped, died) no longer counts.
/// </summary>
public sealed class IngestRates(TimeSpan expiry)
{
    private readonly Dictionary<string, (IngestSample? Previous, IngestSample Last)> _silos = new(StringComparer.Ordinal);

    /// <summary>Takes a silo's sample; an older or repeated one is ignored, a restarted silo (count going back) starts over.</summary>
    public void Add(IngestSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (!_silos.TryGetValue(sample.Silo, out var known))
        {
            _silos[sample.Silo] = (null, sample);
            return;
        }

        if (sample.At <= known.Last.At)
        {
            return;
        }

        _silos[sample.Silo] = (sample.RecordsApplied >= known.Last.RecordsApplied ? known.Last : null, sample);
    }

    /// <summary>The rate and lag at <paramref name="now"/>, forgetting silos silent for longer than the expiry.</summary>
    public IngestStats At(DateTimeOffset now)
    {
        foreach (var silent in _silos.Where(s => now - s.Value.Last.At > expiry).Select(s => s.Key).ToList())
        {
            _silos.Remove(silent);
        }

        double rate = 0;
        long lag = 0;
        DateTimeOffset? asOf = null;
        foreach (var (previous, last) in _silos.Values)
        {
            lag += last.ConsumerLag;
            asOf = asOf is null || last.At < asOf ? last.At : asOf;
            if (previous is not null)
            {
                rate += (last.RecordsApplied - previous.RecordsApplied) / (last.At - previous.At).TotalSeconds;
            }
        }

        return new IngestStats(rate, lag, _silos.Count, asOf);
    }
}
