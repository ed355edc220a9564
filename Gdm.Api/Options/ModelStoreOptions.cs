using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>Where models come from: a folder of model folders, each holding model.onnx and manifest.json.</summary>
public sealed class ModelStoreOptions
{
    public const string Section = "Models";

    /// <summary>
    /// Absolute, or relative to the content root; a relative folder missing there is looked for in the content root's
    /// ancestors too, so `dotnet run --project Gdm.Api` and a run from the repository root both find `models/`.
    /// </summary>
    [Required]
    public string Folder { get; set; } = "models";

    /// <summary>The model a request without a `model` field uses; empty means the first loaded, by name.</summary>
    public string DefaultModel { get; set; } = "";

    /// <summary>Batch sizes run once after loading so the first request does not pay for arena growth.</summary>
    [Range(0, 1024)]
    public int WarmUpBatchSize { get; set; } = 8;
}
