using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gdm.Core.Grouping;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Engine;

/// <summary>
/// Everything that determines one image: the model, its latent (per-group seeds with redraws, or explicit values),
/// the steps per group, the sampler and, for a variation, the prefix it starts from: the first FromGroup groups of
/// another recipe's image, taken at t = e_FromGroup. Replaying a recipe reproduces its image bit for bit.
/// </summary>
public sealed record ImageRecipe(
    string Model,
    LatentRecipe? Noise,
    IReadOnlyList<float>? Latent,
    IReadOnlyList<int> StepsPerGroup,
    SamplerKind Sampler,
    PrefixStart? Prefix)
{
    /// <summary>The group the trajectory starts at: 0 for a full run.</summary>
    public int FirstGroup => Prefix?.FromGroup ?? 0;

    /// <summary>eps in coefficient space, a pure function of the recipe.</summary>
    public float[] RealiseLatent(CoefficientGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        if (Noise is not null)
            return Noise.Realise(grouping);
        if (Latent is null || Latent.Count != grouping.Shape.Size)
            throw new InvalidOperationException($"a recipe needs seeds or a latent of {grouping.Shape.Size} values");
        return Latent.ToArray();
    }

    /// <summary>Prefix nesting depth: 0 for a plain recipe.</summary>
    public int Depth => Prefix is null ? 0 : 1 + (Prefix.Source?.Depth ?? 0);

    /// <summary>A stable name of the recipe's image (SHA-256 of a canonical encoding), for the recent-outputs cache.</summary>
    public string Key()
    {
        var text = new StringBuilder();
        Append(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private void Append(StringBuilder text)
    {
        var invariant = CultureInfo.InvariantCulture;
        text.Append("model=").Append(Model.Length).Append(':').Append(Model);
        text.Append(";sampler=").Append((int)Sampler).Append(";steps=").AppendJoin(',', StepsPerGroup);
        if (Noise is not null)
        {
            text.Append(";noise=");
            foreach (var group in Noise.Groups)
            {
                text.Append('[').Append(group.Seed.ToString(invariant));
                foreach (var redraw in group.Redraws)
                    text.Append('+').Append(redraw.Seed.ToString(invariant)).Append('@').Append(redraw.Strength.ToString("R", invariant));
                text.Append(']');
            }
        }

        if (Latent is not null)
            text.Append(";latent=").Append(Base64(Latent));

        if (Prefix is not null)
        {
            text.Append(";prefix=").Append(Prefix.FromGroup).Append('{');
            Prefix.Source?.Append(text);
            if (Prefix.Coefficients is not null)
                text.Append("coefficients=").Append(Base64(Prefix.Coefficients));
            text.Append('}');
        }
    }

    private static string Base64(IReadOnlyList<float> values)
    {
        var bytes = new byte[values.Count * sizeof(float)];
        for (var i = 0; i < values.Count; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Convert.ToBase64String(bytes);
    }
}

/// <summary>
/// Start at t = e_FromGroup with groups before FromGroup finished: taken from Source's image, or given outright as
/// Coefficients (an uploaded image's own coefficients: its coarse levels are the prefix, no inversion needed).
/// Exactly one of the two is set.
/// </summary>
public sealed record PrefixStart(int FromGroup, ImageRecipe? Source, IReadOnlyList<float>? Coefficients = null)
{
    public static PrefixStart FromSource(int fromGroup, ImageRecipe source) => new(fromGroup, source);

    public static PrefixStart FromCoefficients(int fromGroup, IReadOnlyList<float> coefficients) => new(fromGroup, null, coefficients);
}
