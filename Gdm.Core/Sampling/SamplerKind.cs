namespace Gdm.Core.Sampling;

/// <summary>The samplers, by name (Samplers.Name gives the canonical text form: euler, heun, heun-euler-last).</summary>
public enum SamplerKind
{
    Euler,
    Heun,

    /// <summary>Heun, with an Euler step wherever Heun's corrector would evaluate a moving group at clean data (a_g = 0).</summary>
    HeunEulerLast,
}
