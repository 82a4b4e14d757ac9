using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DeviceTwins.Mqtt;
using DeviceTwins.Silo.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceTwins.ApiTests;

/// <summary>
/// The bridge with TLS only (Mqtt:Port -1, a PFX from Mqtt:TlsCertificatePath), as production runs it: MQTTnet and
/// mosquitto_pub connect over TLS, trusting the certificate, and their telemetry reaches the twin; plain MQTT is not served.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MqttTlsTests(ApiFixture fixture) : IAsyncLifetime
{
    private const string Password = "pfx-password-for-tests";
    private readonly string _directory = Directory.CreateTempSubdirectory("devicetwins-mqtt-tls-").FullName;
    private X509Certificate2 _certificate = null!;
    private IHost _bridge = null!;

    private int TlsPort => _bridge.Services.GetRequiredService<MqttBridge>().TlsPort!.Value;

    private string CaFile => Path.Combine(_directory, "ca.pem");

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=devicetwins-mqtt-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var pfx = Path.Combine(_directory, "tls.pfx");
        await File.WriteAllBytesAsync(pfx, _certificate.Export(X509ContentType.Pfx, Password));
        await File.WriteAllTextAsync(CaFile, _certificate.ExportCertificatePem());

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(fixture.Grains);
        builder.Services.AddMqttBridge(
            o =>
            {
                o.UsePlatformKafka(fixture.Kafka, fixture.Broker.BootstrapServers);
                o.BindAddress = "127.0.0.1";
                o.Port = -1;
                o.TlsPort = 0;
                o.TlsCertificatePath = pfx;
                o.TlsCertificatePassword = Password;
            },
            new Dictionary<string, string>());
        _bridge = builder.Build();
        await _bridge.StartAsync();
    }

    [Fact]
    public async Task TlsOnly_MqttnetAndMosquittoOverTls_TelemetryApplied_NoPlainListener()
    {
        var id = ApiFixture.NewDeviceId("mqtt-tls");
        using var issued = await fixture.Writer.PostAsync(new Uri($"/api/devices/{id}/credentials", UriKind.Relative), null);
        var secret = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Null(_bridge.Services.GetRequiredService<MqttBridge>().Port);

        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", TlsPort)
            .WithClientId(id)
            .WithCredentials(id, secret)
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(e => e.Certificate is not null && e.Certificate.GetCertHashString() == _certificate.Thumbprint))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        Assert.Equal(MqttClientConnectResultCode.Success, (await client.ConnectAsync(options)).ResultCode);
        var published = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"devices/{id}/telemetry")
            .WithPayload(ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow(), ("temperature", 30)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);

        // mosquitto_pub verifies the server against the CA file (the self-signed certificate, for 127.0.0.1).
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cafile", CaFile, "-i", id + "-mosq", "-u", id, "-P", secret, "-q", "1", "-t", $"devices/{id}/telemetry", "-m", ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow(), ("temperature", 31)) })
        {
            start.ArgumentList.Add(argument);
        }

        using (var mosquitto = Process.Start(start)!)
        {
            await mosquitto.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            // Its client id is not the device id: refused (5, not authorized) after the TLS handshake succeeded.
            var error = await mosquitto.StandardError.ReadToEndAsync();
            Assert.True(mosquitto.ExitCode != 0 && !error.Contains("certificate", StringComparison.OrdinalIgnoreCase), $"exit {mosquitto.ExitCode}: {error}");
        }

        await client.DisconnectAsync();
        start.ArgumentList[Array.IndexOf(start.ArgumentList.ToArray(), id + "-mosq")] = id;
        using (var mosquitto = Process.Start(start)!)
        {
            await mosquitto.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(mosquitto.ExitCode == 0, await mosquitto.StandardError.ReadToEndAsync());
        }

        // Connected, 30, disconnected (MQTTnet), then connected, 31, disconnected (mosquitto_pub).
        var twin = await fixture.Reader.WaitForMessageCountAsync(id, 6);
        Assert.Equal(31, twin.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());

        // Plain MQTT to the TLS port is no session.
        using var plain = new MqttClientFactory().CreateMqttClient();
        await Assert.ThrowsAnyAsync<Exception>(() => plain.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", TlsPort).WithClientId(id).WithCredentials(id, secret).WithTimeout(TimeSpan.FromSeconds(5)).Build()));
    }

    public async Task DisposeAsync()
    {
        await _bridge.StopAsync();
        _bridge.Dispose();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
