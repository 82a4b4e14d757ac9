using System.Globalization;

namespace DeviceTwins.FaultCampaign;

/// <summary>What one scenario did to the platform, checked at the end against the known input.</summary>
public sealed record ScenarioReport
{
    public required Scenario Scenario { get; init; }

    public required int Devices { get; init; }

    /// <summary>Valid telemetry records produced.</summary>
    public required long Records { get; init; }

    /// <summary>Poison records produced.</summary>
    public required long Poison { get; init; }

    /// <summary>Valid records no twin applied (sum over devices of expected minus applied, where positive).</summary>
    public required long Lost { get; init; }

    /// <summary>Records applied more than once (sum over devices of applied minus expected, where positive).</summary>
    public required long AppliedTwice { get; init; }

    /// <summary>Devices whose twin could not be read at the end.</summary>
    public required int Unreadable { get; init; }

    /// <summary>Devices the fleet index (GET /api/devices) lists with another version than their twin's, or not at all, 30 s after the drain.</summary>
    public int FleetIndexWrong { get; init; }

    /// <summary>Silent devices whose records are not each in exactly one published window, plus windows published with two contents.</summary>
    public int QuietWindowsWrong { get; init; }

    /// <summary>Alert ids beyond the one expected per overload episode, plus alerts of devices that never overloaded.</summary>
    public required int DuplicateAlertIds { get; init; }

    /// <summary>Overloaded devices with no raise or no clear on the alerts topic.</summary>
    public required int MissingAlerts { get; init; }

    /// <summary>Alert records published again with the same id, state and content (a consumer deduplicates them by id).</summary>
    public required int RepublishedAlertRecords { get; init; }

    /// <summary>Poison records not found on the dead-letter topic with their bytes, partition, offset and reason.</summary>
    public required long PoisonMissing { get; init; }

    /// <summary>Dead-letter records that are not one of the produced poison records.</summary>
    public required long UnexpectedDeadLetters { get; init; }

    /// <summary>Redelivered records the twins recognised and skipped (summed over every silo process).</summary>
    public required long Replayed { get; init; }

    /// <summary>From the end of the fault until every record produced by then was durably applied and committed.</summary>
    public required TimeSpan? Recovery { get; init; }

    /// <summary>From the first record until every record was durably applied and committed.</summary>
    public required TimeSpan Total { get; init; }

    /// <summary>The highest resident memory of any silo process.</summary>
    public required long PeakSiloBytes { get; init; }

    /// <summary>What the API answered while the fault lasted, where the scenario probes it.</summary>
    public string ApiDuringFault { get; init; } = string.Empty;

    /// <summary>Scenario-specific notes (rates, records per phase, ...).</summary>
    public string Notes { get; init; } = string.Empty;

    /// <summary>Whether every must-be-zero figure is zero.</summary>
    public bool Passed => Lost == 0 && AppliedTwice == 0 && Unreadable == 0 && FleetIndexWrong == 0 && QuietWindowsWrong == 0 && DuplicateAlertIds == 0 && MissingAlerts == 0
        && PoisonMissing == 0 && UnexpectedDeadLetters == 0 && Recovery is not null;

    /// <summary>The header of the Markdown table <see cref="ToMarkdownRow"/> writes rows of.</summary>
    public static string MarkdownHeader =>
        "| Scenario | Devices | Records | Poison | Lost | Applied twice | Duplicate alert ids | Missing alerts | Republished alert records | Poison not dead-lettered | Replayed (skipped) | Recovery | Total | Peak silo RSS | Result |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    /// <summary>One Markdown table row.</summary>
    public string ToMarkdownRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Scenario} | {Devices:N0} | {Records:N0} | {Poison:N0} | {Lost} | {AppliedTwice} | {DuplicateAlertIds} | {MissingAlerts} | {RepublishedAlertRecords} | {PoisonMissing + UnexpectedDeadLetters} | {Replayed:N0} | {(Recovery is { } r ? $"{r.TotalSeconds:F1} s" : "not recovered")} | {Total.TotalSeconds:F1} s | {PeakSiloBytes / (1024 * 1024)} MB | {(Passed ? "pass" : "FAIL")} |");
}
