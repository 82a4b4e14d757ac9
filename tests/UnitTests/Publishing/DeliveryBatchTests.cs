using Confluent.Kafka;
using DeviceTwins.Silo.Analytics;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace DeviceTwins.UnitTests.Publishing;

/// <summary>A publication's records acknowledged together: done once every record sent is reported and the batch sealed.</summary>
public sealed class DeliveryBatchTests
{
    [Fact]
    public async Task Seal_NothingSent_CompletesAtOnce()
    {
        await new DeliveryBatch().SealAsync();
    }

    [Fact]
    public void Seal_BeforeEveryReport_CompletesWithTheLastReport()
    {
        var batch = new DeliveryBatch();
        batch.Sending();
        batch.Sending();
        batch.Reported(new Error(ErrorCode.NoError));

        var sealedTask = batch.SealAsync();
        Assert.False(sealedTask.IsCompleted);

        batch.Reported(new Error(ErrorCode.NoError));
        Assert.True(sealedTask.IsCompletedSuccessfully);
    }

    [Fact]
    public void Reports_BeforeSeal_CompleteOnlyWhenSealed()
    {
        var batch = new DeliveryBatch();
        batch.Sending();
        batch.Reported(new Error(ErrorCode.NoError));

        Assert.True(batch.SealAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Failure_WaitsForTheOtherRecords_ThenFailsWithTheFirstError()
    {
        var batch = new DeliveryBatch();
        batch.Sending();
        batch.Sending();
        batch.Sending();
        batch.Reported(new Error(ErrorCode.Local_MsgTimedOut));
        batch.Reported(new Error(ErrorCode.NoError));
        Assert.True(batch.HasFailed);

        var sealedTask = batch.SealAsync();
        Assert.False(sealedTask.IsCompleted);
        batch.Reported(new Error(ErrorCode.Local_AllBrokersDown));

        var failure = await Assert.ThrowsAsync<ProduceException<byte[], byte[]>>(() => sealedTask);
        Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);
    }

    [Fact]
    public async Task Refused_FailsTheBatchWithTheProducersException()
    {
        var batch = new DeliveryBatch();
        batch.Sending();
        batch.Reported(new Error(ErrorCode.NoError));
        batch.Sending();
        var refused = new KafkaException(new Error(ErrorCode.Local_QueueFull));
        batch.Refused(refused);

        Assert.Same(refused, await Assert.ThrowsAsync<KafkaException>(() => batch.SealAsync()));
    }
}
