using Gdm.Training.Cli;

namespace Gdm.Tests.Training;

public sealed class RecordedCommandTests
{
    [Fact]
    public void Absolute_paths_inside_the_working_directory_are_recorded_relative_to_it()
    {
        var root = Path.Combine(Path.GetTempPath(), "gdm-repo");
        string[] args = ["train", "--out", Path.Combine(root, "runs", "v3"), "--data", "folder:" + Path.Combine(root, "images"), "--steps", "10"];

        var command = RecordedCommand.From(args, root);

        Assert.Equal($"gdm-train train --out {Path.Combine("runs", "v3")} --data folder:images --steps 10", command);
    }

    [Fact]
    public void Paths_outside_the_working_directory_and_plain_values_are_kept()
    {
        var root = Path.Combine(Path.GetTempPath(), "gdm-repo");
        var outside = Path.Combine(Path.GetTempPath(), "elsewhere", "run");

        Assert.Equal($"gdm-train export --run {outside} --name v3", RecordedCommand.From(["export", "--run", outside, "--name", "v3"], root));
    }
}
