namespace Gdm.Core.Sampling;

public enum SamplerKind
{
    Euler,
    Heun,
}
