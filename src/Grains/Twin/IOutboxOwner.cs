namespace DeviceTwins.Grains.Twin;

/// <summary>What a <see cref="TwinOutbox{TBatch}"/> publishes for: the owner of the outbox's items (a twin).</summary>
public interface IOutboxOwner<TBatch>
    where TBatch : class
{
    /// <summary>The next batch to publish (the durable head of the outbox), or null when there is none.</summary>
    TBatch? Take();

    /// <summary>Publishes a batch; throws when it was not published.</summary>
    Task PublishAsync(TBatch batch);

    /// <summary>The batch was published: it leaves the outbox.</summary>
    void Published(TBatch batch);

    /// <summary>Publishing the batch failed; it is retried after <paramref name="delay"/>.</summary>
    void Failed(TBatch batch, Exception exception, TimeSpan delay);
}
