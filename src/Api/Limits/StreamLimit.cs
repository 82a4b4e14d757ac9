namespace DeviceTwins.Api.Limits;

/// <summary>Which cap refused an event stream.</summary>
public enum StreamLimit
{
    /// <summary>None: the stream was admitted.</summary>
    None,

    /// <summary>The caller's credential has <c>Api:Limits:MaxStreamsPerCredential</c> streams open (429).</summary>
    Credential,

    /// <summary>The process has <c>Api:Limits:MaxStreams</c> streams open (503).</summary>
    Process,
}
