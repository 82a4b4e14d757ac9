using System.Text.Json;
using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.Nab.Data;

/// <summary>Reads NAB's profiles.json: for each profile name, a <c>CostMatrix</c> with tpWeight, fpWeight and fnWeight.</summary>
public static class ProfilesFile
{
    /// <summary>The profiles of <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<CostProfile> Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.EnumerateObject().Select(p =>
            {
                var costs = p.Value.GetProperty("CostMatrix");
                return new CostProfile(p.Name, costs.GetProperty("tpWeight").GetDouble(), costs.GetProperty("fpWeight").GetDouble(), costs.GetProperty("fnWeight").GetDouble());
            }).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new NabDataException(path, "expected an object mapping profile names to {\"CostMatrix\": {\"tpWeight\", \"fpWeight\", \"fnWeight\"}}.", e);
        }
    }
}
