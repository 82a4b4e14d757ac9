using Confluent.Kafka;

namespace DeviceTwins.Silo.Analytics;

/// <summary>
/// The records of one publication, acknowledged together: one task for the batch instead of a task, a task source and a
/// state machine per record. It completes once every record sent has its delivery report and the sender has sealed
/// it, and fails with the first error when any record failed (the rest still end before it does, so a retry never
/// races the records of the failed try). Reports arrive on the producer's poll thread; the task's continuations do not.
/// </summary>
internal sealed class DeliveryBatch
{
    private readonly TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The records sent and not yet reported, plus one held by the sender until it seals the batch.
    private int _outstanding = 1;
    private Exception? _failure;

    /// <summary>Whether a record of the batch has failed; the sender stops sending the rest.</summary>
    public bool HasFailed => Volatile.Read(ref _failure) is not null;

    /// <summary>Counts a record about to be handed to the producer.</summary>
    public void Sending() => Interlocked.Increment(ref _outstanding);

    /// <summary>A record's delivery report: acknowledged, or failed with <paramref name="error"/>.</summary>
    public void Reported(Error error, DeliveryReport<byte[], byte[]>? report = null)
    {
        if (error.IsError)
        {
            Fail(new ProduceException<byte[], byte[]>(error, report ?? new DeliveryReport<byte[], byte[]>()));
        }

        Release();
    }

    /// <summary>A record the producer refused at once (it will have no report).</summary>
    public void Refused(Exception exception)
    {
        Fail(exception);
        Release();
    }

    /// <summary>The rest of the batch is not sent, for <paramref name="reason"/>: the batch fails once those sent are reported.</summary>
    public void Stop(Exception reason) => Fail(reason);

    /// <summary>No more records: the task completes once those sent are reported.</summary>
    public Task SealAsync()
    {
        Release();
        return _acknowledged.Task;
    }

    private void Fail(Exception exception) => Interlocked.CompareExchange(ref _failure, exception, null);

    private void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _failure) is { } failure)
        {
            _acknowledged.TrySetException(failure);
        }
        else
        {
            _acknowledged.TrySetResult();
        }
    }
}
