namespace DeviceTwins.Grains.Interfaces;

/// <summary>
/// Grain references by key with the grain and interface types resolved once per interface. Orleans'
/// <c>GetGrain&lt;T&gt;(key)</c> reads the interface's attributes by reflection on every call, which was
/// about a tenth of the CPU of a GET of one twin.
/// </summary>
public static class GrainReferences
{
    /// <summary>The reference to the grain of <typeparamref name="TGrain"/> with a string key.</summary>
    public static TGrain GetGrainByKey<TGrain>(this IGrainFactory grains, string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return ByKey(grains, IdSpan.Create(key), key, static (factory, k) => factory.GetGrain<TGrain>(k));
    }

    /// <summary>The reference to the grain of <typeparamref name="TGrain"/> with an integer key.</summary>
    public static TGrain GetGrainByKey<TGrain>(this IGrainFactory grains, long key)
        where TGrain : IGrainWithIntegerKey =>
        ByKey(grains, GrainIdKeyExtensions.CreateIntegerKey(key), key, static (factory, k) => factory.GetGrain<TGrain>(k));

    // The first call per interface asks Orleans and keeps the types of the reference it gets.
    private static TGrain ByKey<TGrain, TKey>(IGrainFactory grains, IdSpan key, TKey original, Func<IGrainFactory, TKey, TGrain> first)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (Shape<TGrain>.Types is { } types)
        {
            return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }

        var reference = first(grains, original);
        Shape<TGrain>.Types = ReferenceTypes.Of(reference!);
        return reference;
    }

    private static class Shape<TGrain>
    {
        // Published once by whichever caller resolves it first; every resolution gives the same types.
        public static ReferenceTypes? Types;
    }

    private sealed record ReferenceTypes(GrainType Grain, GrainInterfaceType Interface)
    {
        public static ReferenceTypes Of(object reference)
        {
            var grain = (GrainReference)reference;
            return new ReferenceTypes(grain.GrainId.Type, grain.InterfaceType);
        }
    }
}
