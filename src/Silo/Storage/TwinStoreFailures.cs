using System.Text.RegularExpressions;
using Orleans.Persistence.Redis;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>Tells a storage failure caused by an unreachable Redis (connection lost, timed out) from any other.</summary>
public static partial class TwinStoreFailures
{
    /// <summary>
    /// The name of the exception that shows Redis unreachable in <paramref name="exception"/>'s chain, or null.
    /// Orleans' Redis grain storage throws a RedisStorageException that keeps its cause only as "{type}: {message}"
    /// in its message, not as an inner exception, so the message is read for the cause's type name.
    /// </summary>
    public static string? UnreachableCause(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            switch (current)
            {
                case RedisTimeoutException or RedisException or TimeoutException:
                    return current.GetType().FullName;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        pending.Push(inner);
                    }

                    continue;
            }

            if (current is RedisStorageException && CauseInMessage().Match(current.Message) is { Success: true } cause)
            {
                return cause.Value;
            }

            if (current.InnerException is { } next)
            {
                pending.Push(next);
            }
        }

        return null;
    }

    [GeneratedRegex(@"StackExchange\.Redis\.Redis\w*Exception|System\.TimeoutException", RegexOptions.CultureInvariant)]
    private static partial Regex CauseInMessage();
}
