using Gdm.Core.Noise;

namespace Gdm.Tests.Core.Noise;

public sealed class Philox4x32Tests
{
    // Known-answer vectors published with Random123 (kat_vectors, philox4x32 with 10 rounds).
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Matches_the_Random123_known_answer_vectors(
        uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        var result = Philox4x32.Generate(new Philox4x32Block(c0, c1, c2, c3), k0, k1);
        Assert.Equal(new Philox4x32Block(r0, r1, r2, r3), result);
    }
}
