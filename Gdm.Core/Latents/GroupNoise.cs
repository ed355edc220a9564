namespace Gdm.Core.Latents;

/// <summary>The recipe of one group's noise: the base seed, then redraws applied in order.</summary>
public sealed record GroupNoise(ulong Seed, IReadOnlyList<NoiseRedraw> Redraws)
{
    public GroupNoise(ulong seed)
        : this(seed, [])
    {
    }

    public GroupNoise With(NoiseRedraw redraw) => this with { Redraws = [.. Redraws, redraw] };
}
