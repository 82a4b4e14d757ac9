using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Simulator;

/// <summary>Registers the in-process fleet simulator.</summary>
public static class SimulatorServiceCollectionExtensions
{
    /// <summary>Adds the simulator as a hosted service, bound to the "Simulator" section.</summary>
    public static IServiceCollection AddFleetSimulator(this IServiceCollection services, Action<SimulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            builder.PostConfigure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<FleetSimulatorService>();
        return services;
    }
}
