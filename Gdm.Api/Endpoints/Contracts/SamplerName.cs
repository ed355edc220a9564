namespace Gdm.Api.Endpoints.Contracts;

/// <summary>The ODE sampler: euler (one network call per step) or heun (two, second order).</summary>
public enum SamplerName
{
    Euler,
    Heun,
}
