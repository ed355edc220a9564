using Gdm.Core.Grouping;

namespace Gdm.Core.Noise;

/// <summary>
/// Standard normal noise that is a pure function of (seed, group, coefficient index): Philox4x32-10 keyed by the
/// seed, with counter (i / 4, group, stream, 0), and a Box-Muller transform of the four 32-bit words into four
/// normals, of which coefficient i takes number i % 4. No state, so no dependence on batch, order or other groups.
/// </summary>
public static class LatentNoise
{
    private const double TwoToMinus32 = 1.0 / 4294967296.0;

    /// <summary>Writes eps of the given group for this seed into the group's coefficients of a full-size latent.</summary>
    public static void FillGroup(ulong seed, CoefficientGroup group, Span<float> latent, uint stream = 0)
    {
        ArgumentNullException.ThrowIfNull(group);
        var cachedBlock = -1;
        Span<float> normals = stackalloc float[4];
        foreach (var i in group.Indices)
        {
            var block = i >> 2;
            if (block != cachedBlock)
            {
                Normals(seed, group.Index, stream, block, normals);
                cachedBlock = block;
            }

            latent[i] = normals[i & 3];
        }
    }

    /// <summary>Noise of one coefficient (for tests and spot checks; FillGroup is the fast path).</summary>
    public static float Sample(ulong seed, int group, int coefficient, uint stream = 0)
    {
        Span<float> normals = stackalloc float[4];
        Normals(seed, group, stream, coefficient >> 2, normals);
        return normals[coefficient & 3];
    }

    private static void Normals(ulong seed, int group, uint stream, int block, Span<float> normals)
    {
        var bits = Philox4x32.Generate(new Philox4x32Block((uint)block, (uint)group, stream, 0), (uint)seed, (uint)(seed >> 32));
        BoxMuller(bits.X0, bits.X1, out normals[0], out normals[1]);
        BoxMuller(bits.X2, bits.X3, out normals[2], out normals[3]);
    }

    // Uniforms in the open interval (0, 1) from 32-bit words, so the logarithm is finite.
    private static void BoxMuller(uint a, uint b, out float z0, out float z1)
    {
        var u1 = (a + 0.5) * TwoToMinus32;
        var u2 = (b + 0.5) * TwoToMinus32;
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        z0 = (float)(radius * Math.Cos(angle));
        z1 = (float)(radius * Math.Sin(angle));
    }
}
