namespace Gdm.Core.Noise;

/// <summary>
/// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11): a pure
/// function from a 128-bit counter and a 64-bit key to 128 random bits. Checked against the Random123 known-answer
/// vectors in the tests.
/// </summary>
public static class Philox4x32
{
    private const uint Multiplier0 = 0xD2511F53, Multiplier1 = 0xCD9E8D57;
    private const uint KeyBump0 = 0x9E3779B9, KeyBump1 = 0xBB67AE85; // golden ratio, sqrt(3) - 1
    private const int Rounds = 10;

    public static Philox4x32Block Generate(Philox4x32Block counter, uint key0, uint key1)
    {
        uint x0 = counter.X0, x1 = counter.X1, x2 = counter.X2, x3 = counter.X3;
        for (var round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                key0 += KeyBump0;
                key1 += KeyBump1;
            }

            var product0 = (ulong)Multiplier0 * x0;
            var product1 = (ulong)Multiplier1 * x2;
            var y0 = (uint)(product1 >> 32) ^ x1 ^ key0;
            var y2 = (uint)(product0 >> 32) ^ x3 ^ key1;
            x0 = y0;
            x1 = (uint)product1;
            x2 = y2;
            x3 = (uint)product0;
        }

        return new Philox4x32Block(x0, x1, x2, x3);
    }
}

public readonly record struct Philox4x32Block(uint X0, uint X1, uint X2, uint X3);
