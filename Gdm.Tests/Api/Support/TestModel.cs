using Gdm.Core.Models;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// The model the API tests serve: the tiny exported ONNX model committed in Gdm.Tests/Api/TestModel when it is there,
/// else a manifest for the analytic network written to a temporary folder.
/// </summary>
public static class TestModel
{
    private static readonly Lazy<(string Folder, bool IsOnnx)> Location = new(Locate);

    public static string Folder => Location.Value.Folder;

    public static bool IsOnnx => Location.Value.IsOnnx;

    public static ModelManifest Manifest => ModelManifest.Read(Path.Combine(Folder, ModelManifest.FileName));

    private static (string, bool) Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Gdm.Tests", "Api", "TestModel");
            if (File.Exists(Path.Combine(candidate, ModelManifest.FileName)))
                return (candidate, true);
        }

        var folder = Path.Combine(Path.GetTempPath(), "gdm-api-tests-analytic");
        Directory.CreateDirectory(folder);
        var onnx = Path.Combine(folder, "model.onnx");
        File.WriteAllText(onnx, "analytic stand-in, not a graph");
        TestModels.Manifest("analytic", ModelManifest.Sha256Of(onnx)).Write(Path.Combine(folder, ModelManifest.FileName));
        return (folder, false);
    }
}
