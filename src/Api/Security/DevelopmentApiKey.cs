namespace DeviceTwins.Api.Security;

/// <summary>The development admin key of a platform run without configured credentials, kept in a file readable by its owner only.</summary>
public static class DevelopmentApiKey
{
    /// <summary>The key's name as a caller.</summary>
    public const string Name = "development";

    /// <summary>
    /// The key in <paramref name="path"/>, created with a new key when missing or empty; Created says which. Processes
    /// started in the same directory (a silo and the stand-alone API, or several silos) share the key.
    /// </summary>
    public static (string Key, bool Created) LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllText(path).Trim();
                if (existing.Length > 0)
                {
                    return (existing, false);
                }

                if (attempt == 0)
                {
                    // An empty file (e.g. a writer that crashed) is replaced; a concurrent writer may be filling it, so read again once.
                    Thread.Sleep(100);
                    continue;
                }

                File.Delete(path);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var key = ApiKeyHash.NewKey();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(path, options);
                writer.Write(key + "\n");
                return (key, true);
            }
            catch (IOException) when (File.Exists(path) && attempt < 3)
            {
                // Another process created it first: use its key.
            }
        }
    }
}
