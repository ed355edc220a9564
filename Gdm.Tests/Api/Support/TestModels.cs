using Gdm.Api.Inference;
using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Models;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Api.Support;

/// <summary>Small models for engine tests: an 8x8 grey DCT-band manifest and the analytic network.</summary>
public static class TestModels
{
    public static readonly ImageShape Shape = new(1, 8, 8);

    public static ModelManifest Manifest(string name = "analytic", string sha256 = "")
    {
        var grouping = CoefficientGrouping.DctBands(Shape);
        return new ModelManifest
        {
            Name = name,
            Image = new ManifestImage(Shape.Channels, Shape.Height, Shape.Width),
            Transform = "dct",
            Grouping = grouping.Spec,
            Schedule = new ManifestSchedule(GroupSchedule.Equal(grouping.Count).Boundaries.ToArray(), 0),
            DefaultStepsPerGroup = Enumerable.Repeat(3, grouping.Count).ToArray(),
            Network = new ManifestNetwork { OnnxFile = "model.onnx", Sha256 = sha256.Length == 64 ? sha256 : new string('0', 64) },
            Training = new ManifestTraining { DataSet = "none" },
        };
    }

    public static LoadedModel Analytic(NetworkGate? gate = null)
    {
        var network = new AnalyticNetwork(Shape);
        return new LoadedModel(Manifest(), gate?.Wrap(network) ?? network, "analytic");
    }
}
