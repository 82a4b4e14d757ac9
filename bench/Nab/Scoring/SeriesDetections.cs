namespace DeviceTwins.Nab.Scoring;

/// <summary>One series ready to score: its windows as row spans and one detection flag per row.</summary>
public sealed record SeriesDetections(IReadOnlyList<WindowSpan> Windows, IReadOnlyList<bool> Detections);
