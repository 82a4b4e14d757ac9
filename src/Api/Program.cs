using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Extensions;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using StackExchange.Redis;

// The stand-alone API: an Orleans client of a silo cluster (Redis clustering, or a localhost silo's gateway).
var builder = WebApplication.CreateBuilder(args);
var failures = new List<string>();
var redis = ConfigurationValidation.BindAndValidate(builder.Configuration, RedisOptions.SectionName, new RedisOptionsValidator(), failures);
var orleans = ConfigurationValidation.BindAndValidate(builder.Configuration, OrleansOptions.SectionName, new OrleansOptionsValidator(), failures);
var api = ConfigurationValidation.BindAndValidate(builder.Configuration, ApiOptions.SectionName, new ApiOptionsValidator(), failures);
ConfigurationValidation.BindAndValidate(builder.Configuration, DeviceIndexOptions.SectionName, new DeviceIndexOptionsValidator(), failures);
ConfigurationValidation.BindAndValidate(builder.Configuration, TwinOptions.SectionName, new TwinOptionsValidator(), failures);
ConfigurationValidation.BindAndValidate(builder.Configuration, AuthOptions.SectionName, new AuthOptionsValidator(), failures);
ConfigurationValidation.BindAndValidate(builder.Configuration, AlertStreamOptions.SectionName, new AlertStreamOptionsValidator(), failures);
ConfigurationValidation.BindAndValidate(builder.Configuration, ApiLimitOptions.SectionName, new ApiLimitOptionsValidator(), failures);
ConfigurationValidation.ThrowIfAny(failures);

builder.WebHost.UseUrls(api.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
builder.UseOrleansClient(client =>
{
    client.Configure<Orleans.Configuration.ClusterOptions>(o =>
    {
        o.ClusterId = orleans.ClusterId;
        o.ServiceId = orleans.ServiceId;
    });
    if (redis.IsConfigured)
    {
        client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis.ConnectionString));
    }
    else
    {
        client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId);
    }
});
builder.Services.AddDeviceTwinsApi();

var app = builder.Build();
app.MapDeviceTwinsApi();
app.Run();

/// <summary>The stand-alone API's entry point, named for WebApplicationFactory tests.</summary>
public partial class Program;
