using System.Diagnostics.CodeAnalysis;

namespace Gdm.Api.Inference;

/// <summary>
/// The models being served. Empty and not ready until the loader has loaded and warmed up the model folder; a request
/// before that is answered 503. Registration happens once, so readers need no lock after Ready.
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

    public LoadedModel? Default { get; private set; }

    public Task WhenReady => _ready.Task;

    /// <summary>Completes when the loader has finished with the folder, whether or not any model could be served.</summary>
    public Task WhenLoaded => _loaded.Task;

    public bool TryGet(string? name, [NotNullWhen(true)] out LoadedModel? model)
    {
        model = string.IsNullOrEmpty(name) ? Default : _models.FirstOrDefault(m => m.Name == name);
        return model is not null && IsReady;
    }

    internal void Publish(IReadOnlyList<LoadedModel> models, string defaultModel)
    {
        var ordered = models.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        Default = ordered.FirstOrDefault(m => m.Name == defaultModel) ?? ordered.FirstOrDefault();
        _models = ordered;
        if (ordered.Length == 0)
        {
            _status = "no model could be loaded: see the log";
            _loaded.TrySetResult();
            return;
        }

        _status = $"serving {string.Join(", ", ordered.Select(m => m.Name))}";
        _ready.TrySetResult();
        _loaded.TrySetResult();
    }

    public void Dispose()
    {
        foreach (var model in _models)
            model.Dispose();
    }
}
