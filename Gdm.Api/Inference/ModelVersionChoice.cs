namespace Gdm.Api.Inference;

/// <summary>Which version of a model name answers when no digest is named.</summary>
public enum ModelVersionChoice
{
    /// <summary>The highest version: what new work gets.</summary>
    Current,

    /// <summary>The lowest version: what a recipe made before recipes named their version was made with.</summary>
    First,
}
