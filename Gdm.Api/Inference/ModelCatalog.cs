using System.Diagnostics.CodeAnalysis;

namespace Gdm.Api.Inference;

/// <summary>
/// The models being served, every version of each name. Empty and not ready until the loader has loaded and warmed up
/// the model folder; a request before that is answered 503. Registration happens once, so readers need no lock after
/// Ready. New work gets the current (highest) version of a name; a recipe names its version by digest; a recipe made
/// before recipes named one replays on the first (lowest) version, the one it was made with.
/// </summary>
public sealed class ModelCatalog : IDisposable
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyList<LoadedModel> _models = [];
    private volatile string _status = "loading models";

    public IReadOnlyList<LoadedModel> Models => _models;

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Why the service is or is not ready, for the readiness probe.</summary>
    public string Status => _status;

    /// <summary>The current version of the default model.</summary>
    public LoadedModel? Default { get; private set; }

    public Task WhenReady => _ready.Task;

    /// <summary>Completes when the loader has finished with the folder, whether or not any model could be served.</summary>
    public Task WhenLoaded => _loaded.Task;

    /// <summary>The current version of a name (the default model for none).</summary>
    public bool TryGet(string? name, [NotNullWhen(true)] out LoadedModel? model) => TryGet(name, null, ModelVersionChoice.Current, out model);

    /// <summary>
    /// The model a request or recipe names: the version with this digest, else the current or the first version of
    /// the name (the default model's name for none).
    /// </summary>
    public bool TryGet(string? name, string? digest, ModelVersionChoice choice, [NotNullWhen(true)] out LoadedModel? model)
    {
        var named = string.IsNullOrEmpty(name) ? Default?.Name : name;
        var versions = _models.Where(m => m.Name == named);
        model = digest is not null
            ? versions.FirstOrDefault(m => m.Digest == digest)
            : choice == ModelVersionChoice.First ? versions.MinBy(m => m.Version) : versions.MaxBy(m => m.Version);
        return model is not null && IsReady;
    }

    /// <summary>The versions loaded of a name, lowest first.</summary>
    public IReadOnlyList<LoadedModel> Versions(string name) => _models.Where(m => m.Name == name).OrderBy(m => m.Version).ToArray();

    internal void Publish(IReadOnlyList<LoadedModel> models, string defaultModel)
    {
        var ordered = models.OrderBy(m => m.Name, StringComparer.Ordinal).ThenByDescending(m => m.Version).ToArray();
        Default = ordered.FirstOrDefault(m => m.Name == defaultModel) ?? ordered.FirstOrDefault();
        _models = ordered;
        if (ordered.Length == 0)
        {
            _status = "no model could be loaded: see the log";
            _loaded.TrySetResult();
            return;
        }

        _status = $"serving {string.Join(", ", ordered.Select(m => m.Label))}";
        _ready.TrySetResult();
        _loaded.TrySetResult();
    }

    public void Dispose()
    {
        foreach (var model in _models)
            model.Dispose();
    }
}
