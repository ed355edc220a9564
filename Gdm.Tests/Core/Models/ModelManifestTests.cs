using System.Text.Json.Nodes;
using Gdm.Core.Models;
using Gdm.Core.Schedules;
using Gdm.Core.Transforms;

namespace Gdm.Tests.Core.Models;

public sealed class ModelManifestTests
{
    private static ModelManifest Valid() => new()
    {
        Name = "fashion-dct",
        Image = new ManifestImage(1, 28, 28),
        Transform = "dct",
        Grouping = "dct-bands",
        Schedule = new ManifestSchedule([1, 5 / 6.0, 4 / 6.0, 0.5, 2 / 6.0, 1 / 6.0, 0], 0),
        DefaultStepsPerGroup = [8, 8, 8, 8, 8, 8],
        Network = new ManifestNetwork { OnnxFile = "model.onnx", Sha256 = new string('a', 64) },
        Training = new ManifestTraining { DataSet = "fashion-mnist", Steps = 100 },
    };

    [Fact]
    public void Round_trips_through_json_and_builds_its_process()
    {
        var manifest = Valid();
        var again = ModelManifest.Parse(manifest.ToJson());
        Assert.Equal(manifest.ToJson(), again.ToJson());
        var process = again.ToProcess();
        Assert.Equal(6, process.Grouping.Count);
        Assert.Equal(TransformKind.Dct, process.Transform.Kind);
    }

    private static CoefficientStatistics Statistics(int coefficients = 784, int groups = 6) => new()
    {
        DataSet = "fashion-mnist (60000 images)",
        Images = 60000,
        Mean = Enumerable.Range(0, coefficients).Select(i => -0.5f + i / 1000f).ToArray(),
        Std = Enumerable.Range(0, coefficients).Select(i => 7f / (1 + i)).ToArray(),
        GroupStd = Enumerable.Range(0, groups).Select(g => 7f / (1 + g)).ToArray(),
    };

    [Fact]
    public void Statistics_are_optional_and_round_trip_when_present()
    {
        Assert.Null(ModelManifest.Parse(Valid().ToJson()).Statistics);
        Assert.DoesNotContain("statistics", Valid().ToJson());

        var manifest = Valid() with { Statistics = Statistics() };
        var again = ModelManifest.Parse(manifest.ToJson());
        Assert.Equal(manifest.ToJson(), again.ToJson());
        Assert.Equal(manifest.Statistics!.Std, again.Statistics!.Std);
        Assert.Equal(manifest.Statistics.GroupStd, again.Statistics.GroupStd);
    }

    [Fact]
    public void A_manifest_of_a_preconditioned_network_is_refused_naming_the_field_and_one_that_says_false_still_loads()
    {
        static string WithPreconditioned(string value)
        {
            var json = JsonNode.Parse((Valid() with { Statistics = Statistics() }).ToJson())!.AsObject();
            json["preconditioned"] = JsonNode.Parse(value);
            return json.ToJsonString();
        }

        var error = Assert.Throws<ManifestException>(() => ModelManifest.Parse(WithPreconditioned("true")));
        Assert.Equal("preconditioned", error.Field);
        Assert.Contains("preconditioned: is true", error.Message);
        Assert.Equal(6, ModelManifest.Parse(WithPreconditioned("false")).ToProcess().Grouping.Count);
        Assert.DoesNotContain("preconditioned", Valid().ToJson());
    }

    public static TheoryData<string, Func<ModelManifest, ModelManifest>> Broken => new()
    {
        { "statistics.mean", m => m with { Statistics = Statistics(coefficients: 100) } },
        { "statistics.groupStd", m => m with { Statistics = Statistics(groups: 5) } },
        { "statistics.std", m => m with { Statistics = Statistics() with { Std = Enumerable.Repeat(-1f, 784).ToArray() } } },
        { "image.channels", m => m with { Image = new ManifestImage(2, 28, 28) } },
        { "transform", m => m with { Transform = "wavelet" } },
        { "transform", m => m with { Transform = "identity" } },
        { "grouping", m => m with { Grouping = "dct-bands:0,3,3,28" } },
        { "schedule.boundaries", m => m with { Schedule = new ManifestSchedule([1, 0.5, 0], 0) } },
        { "schedule", m => m with { Schedule = new ManifestSchedule([1, 0.5, 0.7, 0.6, 0.3, 0.1, 0], 0) } },
        { "defaultStepsPerGroup", m => m with { DefaultStepsPerGroup = [8, 8] } },
        { "network.sha256", m => m with { Network = m.Network with { Sha256 = "xyz" } } },
        { "network.onnxFile", m => m with { Network = m.Network with { OnnxFile = "../elsewhere.onnx" } } },
        { "formatVersion", m => m with { FormatVersion = 9 } },
        { "defaultGrid", m => m with { DefaultGrid = "warp" } },
        { "defaultGrid", m => m with { DefaultGrid = "band-warp:1.0" } },
        { "defaultGrid", m => m with { DefaultGrid = "band-warp:1" } },
    };

    [Fact]
    public void A_default_band_warp_grid_gives_each_groups_shift_from_the_statistics()
    {
        var manifest = ModelManifest.Parse((Valid() with { Statistics = Statistics(), DefaultGrid = "band-warp:0.5" }).ToJson());
        Assert.Equal("band-warp:0.5", manifest.DefaultGridSpacing.Name);
        var shifts = manifest.GridShifts(manifest.DefaultGridSpacing);
        Assert.Equal(Enumerable.Range(0, 6).Select(g => (double)(7f / (1 + g)) / 0.5).ToArray(), shifts);
        Assert.Equal("uniform", Valid().DefaultGridSpacing.Name);
        Assert.Equal(Enumerable.Repeat(1.0, 6).ToArray(), Valid().GridShifts(GridSpacing.Uniform));
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Inconsistent_content_is_refused_naming_the_field(string field, Func<ModelManifest, ModelManifest> breakIt)
    {
        var json = breakIt(Valid()).ToJson();
        var error = Assert.Throws<ManifestException>(() => ModelManifest.Parse(json));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Malformed_json_is_refused_with_the_path_of_the_fault()
    {
        var error = Assert.Throws<ManifestException>(() => ModelManifest.Parse("{\"name\": 3}"));
        Assert.Contains("name", error.Field);
    }

    [Fact]
    public void Sha256_of_a_file_is_lower_case_hex()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ModelManifest.Sha256Of(path));
        File.Delete(path);
    }
}
