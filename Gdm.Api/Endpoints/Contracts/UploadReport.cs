namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// What was done to an uploaded image to make it the model's input: its field, the format and size it arrived in, the
/// model's size and channels, whether its levels were inverted (ImageUpload.background), and the steps taken (scaling
/// keeping the aspect ratio, centre crop, transparency composited on black, the background decision, grey for an image
/// that was not grey, value range).
/// </summary>
public sealed record UploadReport(
    string Field,
    string Format,
    int OriginalWidth,
    int OriginalHeight,
    int Width,
    int Height,
    int Channels,
    bool Inverted,
    string Steps);
