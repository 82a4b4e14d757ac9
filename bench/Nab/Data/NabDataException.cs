namespace DeviceTwins.Nab.Data;

/// <summary>A NAB data, windows or profiles file that cannot be read, naming the file.</summary>
public sealed class NabDataException : Exception
{
    public NabDataException(string path, string message, Exception? innerException = null)
        : base($"{path}: {message}", innerException)
    {
        Path = path;
    }

    /// <summary>The offending file.</summary>
    public string Path { get; }
}
