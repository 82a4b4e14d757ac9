using System.Globalization;
using DeviceTwins.FaultCampaign;

// The fault campaign: each scenario against a fresh platform, then a Markdown table of the results.
// dotnet bench/FaultCampaign/bin/Release/net10.0/DeviceTwins.FaultCampaign.dll [--scenarios all|Name,Name] [--devices 1000]
//   [--rounds 100] [--partitions 12] [--duration 40] [--poison 10000] [--redis-outage 30] [--broker-outage 15] [--keep-logs true] [--silo-setting Key:Path=value] [--out campaign.md]
var options = new CampaignOptions();
var scenarios = Enum.GetValues<Scenario>().ToList();
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--scenarios":
            scenarios = value == "all" ? scenarios : value.Split(',').Select(s => Enum.Parse<Scenario>(s, ignoreCase: true)).ToList();
            break;
        case "--devices":
            options.Devices = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--rounds":
            options.Rounds = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--duration":
            options.StreamDuration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            break;
        case "--poison":
            options.PoisonRecords = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--partitions":
            options.Partitions = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--redis-outage":
            options.RedisOutage = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            break;
        case "--broker-outage":
            options.BrokerOutage = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            break;
        case "--silo-setting":
            var pair = value.Split('=', 2);
            options.SiloSettings[pair[0].Replace(":", "__", StringComparison.Ordinal)] = pair[1];
            break;
        case "--keep-logs":
            options.KeepLogs = bool.Parse(value);
            break;
        case "--out":
            output = value;
            break;
        default:
            throw new ArgumentException($"Unknown argument {args[i]}.");
    }

    i++;
}

var reports = new List<ScenarioReport>();
foreach (var scenario in scenarios)
{
    reports.Add(await Campaign.RunAsync(scenario, options, Console.Out));
}

var table = string.Join('\n', [ScenarioReport.MarkdownHeader, .. reports.Select(r => r.ToMarkdownRow())]);
var notes = string.Join('\n', reports.Where(r => r.Notes.Length > 0).Select(r => $"- {r.Scenario}: {r.Notes}"));
Console.WriteLine();
Console.WriteLine(table);
Console.WriteLine();
Console.WriteLine(notes);
if (output is not null)
{
    await File.WriteAllTextAsync(output, table + "\n\n" + notes + "\n");
}

return reports.All(r => r.Passed) ? 0 : 1;
