namespace Gdm.Api.Images;

/// <summary>
/// An upload converted to a model's image: pixels C x H x W in the model's value range, and a plain account of what
/// was done to get there (for the response).
/// </summary>
public sealed record ModelInput(float[] Pixels, ConversionReport Report);
