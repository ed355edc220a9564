using System.Buffers.Binary;
using System.Diagnostics;
using Gdm.Core;
using Gdm.Training.Data;

namespace Gdm.Tests.Training;

public sealed class DataTests
{
    private static readonly ImageShape AnyShape = new(1, 8, 8);

    [Fact]
    public void A_file_that_is_not_IDX_gives_one_line_naming_the_file()
    {
        using var folder = new TinyRun();
        var path = Path.Combine(folder.Folder, "images.idx");
        File.WriteAllBytes(path, [.. "this is not an IDX file at all"u8]);

        var error = Assert.Throws<DataException>(() => DataSpec.Load("idx:" + path, AnyShape, 0));

        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains("magic", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_truncated_IDX_file_says_how_many_bytes_it_needs()
    {
        using var folder = new TinyRun();
        var path = Path.Combine(folder.Folder, "truncated-idx3-ubyte");
        var header = new byte[16 + 100];
        BinaryPrimitives.WriteInt32BigEndian(header, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 10);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 28);
        File.WriteAllBytes(path, header);

        var error = Assert.Throws<DataException>(() => DataSpec.Load("idx:" + path, AnyShape, 0));

        Assert.Equal($"{path}: holds 116 bytes, but 10 images of 28x28 need 7856", error.Message);
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var error = Assert.Throws<DataException>(() => DataSpec.Load("folder:/no/such/folder", AnyShape, 0));
        Assert.Equal("/no/such/folder: folder not found", error.Message);
    }

    [Fact]
    public void The_command_line_prints_one_line_and_fails_on_a_malformed_data_file()
    {
        using var folder = new TinyRun();
        var path = Path.Combine(folder.Folder, "bad.idx");
        File.WriteAllBytes(path, [1, 2, 3]);

        var (exitCode, output, error) = RunTrainer("train", "--data", "idx:" + path, "--steps", "1", "--out", Path.Combine(folder.Folder, "run"));

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, line);
    }

    [Fact]
    public void The_Debian_Fashion_MNIST_files_load_as_60000_grey_28x28_images()
    {
        if (!Directory.Exists(DataSpec.FashionMnistDirectory))
            return; // the Debian package is not installed on this machine: nothing to check
        var data = DataSpec.Load("fashion-mnist", AnyShape, 0);
        Assert.Equal(60_000, data.Count);
        Assert.Equal(new ImageShape(1, 28, 28), data.Shape);
    }

    [Fact]
    public void Synthetic_shapes_are_a_pure_function_of_the_seed_and_keep_their_factors()
    {
        var shape = new ImageShape(3, 16, 16);
        var first = SyntheticShapes.Generate(20, shape, 5);
        var again = SyntheticShapes.Generate(20, shape, 5);
        Assert.Equal(first.Pixels, again.Pixels);
        Assert.Equal(20, first.Factors!.Count);
        Assert.Equal(first.Factors, again.Factors);
    }

    private static (int ExitCode, string Output, string Error) RunTrainer(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gdm-train.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
