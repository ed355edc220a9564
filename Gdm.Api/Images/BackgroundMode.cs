namespace Gdm.Api.Images;

/// <summary>
/// What becomes of an upload's background: the shipped models know light garments on a black background (the low end
/// of the value range), so a photograph on white needs inverting first. Auto decides from the image's border.
/// </summary>
public enum BackgroundMode
{
    /// <summary>Invert when the border of the converted image is light (its mean level above half of 255).</summary>
    Auto,

    /// <summary>Take the image as it is.</summary>
    Keep,

    /// <summary>Invert the image's levels (255 - v), keeping transparent parts the model's background.</summary>
    Invert,
}
