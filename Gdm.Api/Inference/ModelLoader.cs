using Gdm.Api.Options;
using Gdm.Core.Models;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Inference;

/// <summary>
/// Loads every model of the configured folder after the host has started (so liveness answers at once), checks each
/// graph against its manifest's checksum, warms each session up and then publishes the catalog: from that moment the
/// service is ready. A bad model is refused with a log line naming its file; the others are still served.
/// </summary>
public sealed class ModelLoader(
    ModelCatalog catalog,
    INetworkLoader networkLoader,
    IOptions<ModelStoreOptions> options,
    IOptions<Options.EngineOptions> engineOptions,
    IHostEnvironment environment,
    ILogger<ModelLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        var root = ModelFolder.Resolve(settings.Folder, environment.ContentRootPath);
        var directories = ModelFolder.ModelDirectories(root);
        if (directories.Count == 0)
            logger.LogError("No model found in {ModelFolder}: each model needs a folder with {Manifest} and its ONNX graph", root, ModelManifest.FileName);

        var loaded = new List<LoadedModel>();
        foreach (var directory in directories)
        {
            stoppingToken.ThrowIfCancellationRequested();
            var model = await Task.Run(() => TryLoad(directory, settings), stoppingToken);
            if (model is null)
                continue;
            if (loaded.FirstOrDefault(m => m.Name == model.Name && (m.Version == model.Version || m.Digest == model.Digest)) is { } twin)
            {
                logger.LogError("Model {Model} in {ModelDirectory} is refused: {Loaded} from {LoadedDirectory} is already loaded (give each version its own version number and network)",
                    model.Label, directory, twin.Label, twin.Folder);
                model.Dispose();
                continue;
            }

            loaded.Add(model);
        }

        catalog.Publish(loaded, settings.DefaultModel);
        if (loaded.Count > 0)
            logger.LogInformation("Ready: serving {Models} from {ModelFolder}", loaded.Select(m => m.Label).ToArray(), root);
    }

    private LoadedModel? TryLoad(string directory, ModelStoreOptions settings)
    {
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var manifest = ReadManifest(manifestPath);
            var onnxPath = Path.Combine(directory, manifest.Network.OnnxFile);
            if (!File.Exists(onnxPath))
                throw new ModelRefusedException(onnxPath, "is missing (the manifest names it in network.onnxFile)");
            var checksum = ModelManifest.Sha256Of(onnxPath);
            if (!string.Equals(checksum, manifest.Network.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelRefusedException(onnxPath, $"has SHA-256 {checksum} but {manifestPath} says {manifest.Network.Sha256}: the graph and its manifest do not belong together");

            var network = networkLoader.Load(manifest, onnxPath);
            LoadedModel model;
            try
            {
                model = new LoadedModel(manifest, network, directory);
                // At least one image per shard, so every shard's session has run (and sized its arena) before traffic.
                var shards = (network as ShardedImageNetwork)?.ShardCount ?? 1;
                WarmUp(model, Math.Min(Math.Max(settings.WarmUpBatchSize, shards), engineOptions.Value.MaxBatchSize));
            }
            catch
            {
                (network as IDisposable)?.Dispose();
                throw;
            }

            logger.LogInformation(
                "Loaded model {Model} ({Shape}, {Grouping}, {Groups} groups) from {OnnxFile} in {ElapsedMilliseconds:F0} ms",
                model.Label, model.Shape.ToString(), manifest.Grouping, model.Process.Grouping.Count, onnxPath,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return model;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever is wrong with one model folder, the others are still served.
            logger.LogError("Model in {ModelDirectory} is refused: {Reason}", directory, e.Message);
            return null;
        }
    }

    private static ModelManifest ReadManifest(string path)
    {
        try
        {
            return ModelManifest.Read(path);
        }
        catch (ManifestException e)
        {
            throw new ModelRefusedException(path, $"field {e.Field}: {e.Message}");
        }
    }

    // One call at batch 1 and one at the warm-up size: ONNX Runtime sizes its arenas on the first calls.
    private static void WarmUp(LoadedModel model, int batchSize)
    {
        foreach (var batch in new[] { 1, batchSize }.Where(b => b > 0).Distinct())
        {
            var d = model.Shape.Size;
            var times = Enumerable.Repeat(0.5, batch).ToArray();
            var started = Enumerable.Repeat(model.Process.Schedule.StartedGroups(0.5, 0.5), batch).ToArray();
            model.Denoiser.Predict(new float[batch * d], times, started, new float[batch * d]);
        }
    }
}
