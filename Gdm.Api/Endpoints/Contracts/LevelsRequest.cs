namespace Gdm.Api.Endpoints.Contracts;

/// <summary>An image whose levels to draw: a recipe (made again, or taken from the recent outputs) or an upload.</summary>
public sealed record LevelsRequest
{
    /// <summary>Model name; the source recipe's model, else the default model, when absent.</summary>
    /// <example>null</example>
    public string? Model { get; init; }

    public ImageSource? Source { get; init; }
}
