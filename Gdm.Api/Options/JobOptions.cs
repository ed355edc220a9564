using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>Asynchronous jobs: how long and how many finished ones are kept for their clients to collect.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan FinishedJobRetention { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 1_000_000)]
    public int MaxRetainedJobs { get; set; } = 1000;
}
