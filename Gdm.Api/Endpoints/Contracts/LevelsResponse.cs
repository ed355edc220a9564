namespace Gdm.Api.Endpoints.Contracts;

/// <summary>What each level (group) alone contributes to the image, one picture per group in generation order.</summary>
public sealed record LevelsResponse(string Model, IReadOnlyList<LevelView> Levels);

/// <summary>
/// Group `group`'s part of the image: `png` (base64) is the inverse transform of the image's coefficients of that group
/// alone, mid grey at 0 and white/black at +-`peak` (in the model's value units); the parts of all groups add up to
/// the image.
/// </summary>
public sealed record LevelView(int Group, string Name, string Png, double Peak);
