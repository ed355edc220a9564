namespace Gdm.Core.Latents;

/// <summary>eps' = cos(s pi/2) eps + sin(s pi/2) eps_new(seed), strength s in [0, 1]; exact at s = 0 and s = 1.</summary>
public sealed record NoiseRedraw(ulong Seed, double Strength)
{
    public static void Validate(double strength, string field = "strength")
    {
        if (!(strength >= 0 && strength <= 1))
            throw new ArgumentOutOfRangeException(field, strength, $"{field} must be between 0 and 1");
    }
}
