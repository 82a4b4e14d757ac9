using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Security;
using DeviceTwins.ClusterTests;
using DeviceTwins.Grains;
using DeviceTwins.Mqtt;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Simulator;
using DeviceTwins.Streaming.Kafka.Embedded;
using DeviceTwins.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DeviceTwins.ApiTests;

/// <summary>
/// A real silo (TCP localhost clustering on free ports, the platform's storage and telemetry composition, an embedded
/// Kafka-protocol cluster, a fake twin clock) and the stand-alone API's own entry point, unmodified, as its Orleans
/// client through <see cref="WebApplicationFactory{TEntryPoint}"/>, with a read, a write and an admin key and JWTs.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string RedisVariable = "DEVICETWINS_TEST_REDIS";
    public const string ReadKey = "dt_api-tests-read-key-0000000000000000000001";
    public const string WriteKey = "dt_api-tests-write-key-000000000000000000002";
    public const string AdminKey = "dt_api-tests-admin-key-000000000000000000003";

    /// <summary>The two tenants of the tenant tests, and a key per role for each: "{tenant}-{role}" (see <see cref="TenantKey"/>).</summary>
    public static readonly string[] TenantIds = ["acme", "globex"];
    public const string Issuer = "https://issuer.api-tests.devicetwins.test";
    public const string Audience = "devicetwins-api";
    public const int MaxDocumentBytes = 4096;
    public const int MaxDepth = 4;

    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("api-tests-signing-key-of-at-least-32-bytes!");

    private IHost? _silo;

    public KafkaOptions Kafka { get; } = new()
    {
        TelemetryTopics = "iot.telemetry",
        TelemetryPartitions = 2,
        OutputPartitions = 1,
        ConsumerGroup = "api-tests",
    };

    /// <summary>The twins' processing-time clock (status, the index's flush): starts at the wall clock's second, moved by tests.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>Every log line of the API host.</summary>
    internal CapturingLoggerProvider Logs { get; } = new();

    public EmbeddedKafkaCluster Broker { get; private set; } = null!;

    public WebApplicationFactory<Program> Api { get; private set; } = null!;

    public IProducer<byte[]?, byte[]?> Producer { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public HttpClient Reader { get; private set; } = null!;

    public HttpClient Writer { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The silo's grain factory (what an MQTT bridge beside it uses).</summary>
    public IGrainFactory Grains => _silo!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The MQTT bridge's port.</summary>
    public int MqttPort => _silo!.Services.GetRequiredService<MqttBridge>().Port!.Value;

    public async Task InitializeAsync()
    {
        Broker = EmbeddedKafkaCluster.Start();
        foreach (var topic in PlatformTopics.For(Kafka))
        {
            Broker.CreateTopic(topic.Name, topic.Partitions);
        }

        // A unique service and cluster id: twin state in a shared Redis is keyed by the service id, so runs never collide.
        var id = "api-tests-" + Guid.NewGuid().ToString("N")[..12];
        var siloPort = TestHost.FreePort();
        var gatewayPort = TestHost.FreePort();
        var redis = new RedisOptions { ConnectionString = Environment.GetEnvironmentVariable(RedisVariable) ?? string.Empty };
        var bootstrap = Broker.BootstrapServers;
        var silo = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        silo.UseOrleans(orleans => orleans
            .UseLocalhostClustering(siloPort, gatewayPort, serviceId: id, clusterId: id)
            .AddDeviceTwinsStorage(redis)
            .AddDeviceTwinsTelemetry(Kafka, bootstrap, TestRules.Analytics())
            .ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(TwinClock.Key, Clock)));
        // The MQTT bridge beside the silo, as the all-in-one platform runs it, on a free port.
        silo.Services.AddMqttBridge(
            o =>
            {
                o.UsePlatformKafka(Kafka, bootstrap);
                o.BindAddress = "127.0.0.1";
                o.Port = 0;
                o.CredentialCheckInterval = TimeSpan.FromSeconds(1);
                o.ProduceTimeout = TimeSpan.FromSeconds(5);
            },
            new Dictionary<string, string>());
        _silo = silo.Build();
        await _silo.StartAsync();

        Api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(Environments.Production);
            foreach (var (key, value) in ApiSettings(gatewayPort, id, bootstrap))
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
        Anonymous = Api.CreateClient();
        Reader = ClientWithKey(ReadKey);
        Writer = ClientWithKey(WriteKey);
        Admin = ClientWithKey(AdminKey);
        Producer = new ProducerBuilder<byte[]?, byte[]?>(FleetSimulator.ProducerSettings(bootstrap)).Build();
    }

    /// <summary>The API key of <paramref name="tenant"/> with <paramref name="role"/>.</summary>
    public static string TenantKey(string tenant, string role) => $"dt_api-tests-{tenant}-{role}-key-".PadRight(44, '0');

    /// <summary>A client sending <paramref name="key"/> in X-Api-Key.</summary>
    public HttpClient ClientWithKey(string key)
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    /// <summary>A token signed with the configured key, valid for ten minutes, carrying <paramref name="claims"/>.</summary>
    public static string Token(Dictionary<string, object> claims, string audience = Audience, byte[]? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Produces one telemetry record keyed by <paramref name="deviceId"/> on the telemetry topic.</summary>
    public async Task ProduceAsync(string deviceId, string value)
    {
        await Producer.ProduceAsync(Kafka.TelemetryTopicList[0], new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(deviceId),
            Value = Encoding.UTF8.GetBytes(value),
        });
    }

    /// <summary>A telemetry record (README "Telemetry contract") of <paramref name="deviceId"/> at <paramref name="ts"/> with <paramref name="metrics"/>.</summary>
    public static string Telemetry(string deviceId, DateTimeOffset ts, params (string Name, double Value)[] metrics)
    {
        var values = string.Join(",", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"\"{m.Name}\":{m.Value}")));
        return string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{deviceId}}}","ts":"{{{ts:O}}}","metrics":{{{{values}}}}}""");
    }

    /// <summary>The offset after the last record of the alerts topic's one partition.</summary>
    public long AlertsEnd()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = Broker.BootstrapServers, GroupId = "api-tests-watermarks" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(Kafka.AlertsTopic, 0), TimeSpan.FromSeconds(10)).High.Value;
    }

    /// <summary>A fresh device id for one test.</summary>
    public static string NewDeviceId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        Reader?.Dispose();
        Writer?.Dispose();
        Admin?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        Producer?.Dispose();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }

        Broker?.Dispose();
    }

    private static Dictionary<string, string> ApiSettings(int gatewayPort, string id, string bootstrap)
    {
        var settings = BaseSettings(gatewayPort, id, bootstrap);
        // A key of each role for each tenant, after the three keys of every tenant: "{tenant}-reader", "-writer", "-operator".
        var index = 3;
        foreach (var tenant in TenantIds)
        {
            foreach (var (role, holder) in new[] { (ApiRoles.Read, "reader"), (ApiRoles.Write, "writer"), (ApiRoles.Admin, "operator") })
            {
                settings[$"Auth:ApiKeys:{index}:Name"] = $"{tenant}-{holder}";
                settings[$"Auth:ApiKeys:{index}:Hash"] = ApiKeyHash.Create(TenantKey(tenant, role));
                settings[$"Auth:ApiKeys:{index}:Role"] = role;
                settings[$"Auth:ApiKeys:{index}:Tenant"] = tenant;
                index++;
            }
        }

        return settings;
    }

    private static Dictionary<string, string> BaseSettings(int gatewayPort, string id, string bootstrap) => new()
    {
        ["Orleans:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        ["Orleans:ClusterId"] = id,
        ["Orleans:ServiceId"] = id,
        ["Kafka:BootstrapServers"] = bootstrap,
        ["Twin:MaxDocumentBytes"] = MaxDocumentBytes.ToString(CultureInfo.InvariantCulture),
        ["Twin:MaxDepth"] = MaxDepth.ToString(CultureInfo.InvariantCulture),
        ["Auth:ApiKeys:0:Name"] = "reader",
        ["Auth:ApiKeys:0:Hash"] = ApiKeyHash.Create(ReadKey),
        ["Auth:ApiKeys:0:Role"] = ApiRoles.Read,
        ["Auth:ApiKeys:1:Name"] = "writer",
        ["Auth:ApiKeys:1:Hash"] = ApiKeyHash.Create(WriteKey),
        ["Auth:ApiKeys:1:Role"] = ApiRoles.Write,
        ["Auth:ApiKeys:2:Name"] = "operator",
        ["Auth:ApiKeys:2:Hash"] = ApiKeyHash.Create(AdminKey),
        ["Auth:ApiKeys:2:Role"] = ApiRoles.Admin,
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(SigningKey),
        // Everything the API logs, so that the tests can show no key or token is among it.
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:DeviceTwins.Api.Security.ApiKeyAuthenticationHandler"] = "Debug",
        ["Logging:LogLevel:Orleans"] = "Warning",
    };
}
