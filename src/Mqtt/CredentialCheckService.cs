using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Mqtt;

/// <summary>Every Mqtt:CredentialCheckInterval, checks connected devices' credentials again, so a revoked one is disconnected.</summary>
public sealed partial class CredentialCheckService(IOptions<MqttBridgeOptions> options, MqttBridge bridge, TimeProvider time, ILogger<CredentialCheckService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CredentialCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await bridge.CheckCredentialsAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCheckFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking connected devices' credentials failed; next check at the next interval")]
    private partial void LogCheckFailed(Exception exception);
}
