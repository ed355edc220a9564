using Gdm.Api.Engine;
using Gdm.Api.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gdm.Tests.Api.Engine;

public sealed class JobStoreTests
{
    [Fact]
    public async Task Finished_jobs_are_kept_for_the_retention_time_and_then_forgotten()
    {
        var clock = new ManualClock();
        var store = Store(clock, retention: TimeSpan.FromMinutes(10), maxJobs: 100);
        var job = store.Start("samples", (_, _) => Task.FromResult<JobResult>(new JobResult<string>("done")));
        await job.Completion;

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(store.TryGet(job.Id, out var kept));
        Assert.Equal(JobStatus.Succeeded, kept.Snapshot().Status);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(store.TryGet(job.Id, out _));
    }

    [Fact]
    public async Task Beyond_the_maximum_the_oldest_finished_jobs_go_first_and_running_ones_stay()
    {
        var clock = new ManualClock();
        var store = Store(clock, retention: TimeSpan.FromDays(1), maxJobs: 2);
        var never = new TaskCompletionSource<JobResult>();
        var running = store.Start("samples", (_, token) => never.Task.WaitAsync(token));
        var first = store.Start("samples", (_, _) => Task.FromResult<JobResult>(new JobResult<int>(1)));
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = store.Start("samples", (_, _) => Task.FromResult<JobResult>(new JobResult<int>(2)));
        clock.Advance(TimeSpan.FromSeconds(1));
        var third = store.Start("samples", (_, _) => Task.FromResult<JobResult>(new JobResult<int>(3)));

        Assert.True(store.TryGet(running.Id, out _));
        Assert.False(store.TryGet(first.Id, out _));
        Assert.True(store.TryGet(third.Id, out _));
        Assert.True(store.TryCancel(running));
        await running.Completion;
        Assert.Equal(JobStatus.Cancelled, running.Snapshot().Status);
        Assert.False(store.TryCancel(second));
    }

    private static JobStore Store(TimeProvider clock, TimeSpan retention, int maxJobs) => new(
        Microsoft.Extensions.Options.Options.Create(new JobOptions { FinishedJobRetention = retention, MaxRetainedJobs = maxJobs }),
        Microsoft.Extensions.Options.Options.Create(new EngineOptions()),
        clock,
        NullLogger<JobStore>.Instance);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
