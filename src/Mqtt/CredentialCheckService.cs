using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Mqtt;

/// <summary>
/// Checks connected devices' credentials again, each once per Mqtt:CredentialCheckInterval, spread over the interval, so
/// a revoked one is disconnected within it.
/// </summary>
public sealed partial class CredentialCheckService(IOptions<MqttBridgeOptions> options, MqttBridge bridge, TimeProvider time, ILogger<CredentialCheckService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One sweep per interval, its checks spread over the interval; a sweep that found nobody waits out the interval.
        var interval = options.Value.CredentialCheckInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                await bridge.CheckCredentialsAsync(interval, stoppingToken);
                var left = interval - time.GetElapsedTime(started);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, time, stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCheckFailed(exception);
                await Task.Delay(interval, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking connected devices' credentials failed; next check at the next interval")]
    private partial void LogCheckFailed(Exception exception);
}
