using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Configuration;

/// <summary>Binds and validates an options section eagerly, before the host is built, so a bad value stops start-up naming its key.</summary>
public static class ConfigurationValidation
{
    /// <summary>Binds <paramref name="section"/> to a new <typeparamref name="T"/> and validates it; adds failures to <paramref name="failures"/>.</summary>
    public static T BindAndValidate<T>(IConfiguration configuration, string section, IValidateOptions<T> validator, List<string> failures)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(failures);
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            // The binder's message names the key and the expected type.
            failures.Add(exception.Message);
            return options;
        }

        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            failures.AddRange(result.Failures);
        }

        return options;
    }

    /// <summary>Throws one exception listing every failure, if any.</summary>
    public static void ThrowIfAny(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("configuration", typeof(object), failures);
        }
    }
}
