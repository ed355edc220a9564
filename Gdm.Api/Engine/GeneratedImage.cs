using Gdm.Core.Latents;

namespace Gdm.Api.Engine;

/// <summary>One finished image: its recipe and its final coefficients (transform space, length C*H*W).</summary>
public sealed record GeneratedImage(ImageRecipe Recipe, float[] Coefficients);
