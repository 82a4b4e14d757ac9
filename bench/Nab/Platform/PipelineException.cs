namespace DeviceTwins.Nab.Platform;

/// <summary>A replay through a running platform that could not complete, naming where: the bootstrap servers, topic or device.</summary>
public sealed class PipelineException : Exception
{
    public PipelineException(string where, string message, Exception? innerException = null)
        : base($"{where}: {message}", innerException)
    {
        Where = where;
    }

    /// <summary>The servers, topic or device the failure concerns.</summary>
    public string Where { get; }
}
