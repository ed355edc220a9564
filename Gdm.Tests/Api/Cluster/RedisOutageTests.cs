using System.Diagnostics;
using Gdm.Tests.Api.Endpoints;
using Gdm.Tests.Api.Support;
using StackExchange.Redis;

namespace Gdm.Tests.Api.Cluster;

/// <summary>
/// Redis stalling for longer than the replica's command timeout (a failover, a paused server): StackExchange.Redis
/// then throws RedisTimeoutException, which is a TimeoutException and not a RedisException. The replica logs it and
/// stays up, a request meanwhile gets a 503 with Retry-After, and once Redis answers the replica takes work again.
/// </summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task A_replica_rides_out_a_Redis_stall_longer_than_its_command_timeout_and_then_runs_a_job()
    {
        using var server = RedisServer.Start();
        using var replica = ServiceProcess.Start("stall", new Dictionary<string, string>
        {
            ["Cluster:Redis"] = server.ConnectionString + ",asyncTimeout=500,syncTimeout=500",
            ["Cluster:ReplicaName"] = "stall",
            ["Cluster:KeyPrefix"] = RedisFixture.NewPrefix(),
            ["Cluster:LeaseDuration"] = "00:00:03",
            ["Models:Folder"] = TestModel.Folder,
            ["Models:DefaultModel"] = "",
            ["Models:WarmUpBatchSize"] = "1",
            ["Inference:IntraOpThreads"] = "1",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        await replica.WaitUntilReadyAsync(Patience);

        using (var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true"))
            await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "8000", "ALL");
        // The worker's heartbeat (every second with a 3 s lease) meets the stall and says so.
        var deadline = Stopwatch.StartNew();
        while (!replica.Output.Contains("could not reach Redis; it tries again", StringComparison.Ordinal))
        {
            Assert.False(replica.HasExited, $"the replica stopped on a Redis stall:\n{replica.Output}");
            Assert.True(deadline.Elapsed < Patience, $"the replica never met the stall:\n{replica.Output}");
            await Task.Delay(50);
        }

        // Well inside the 8 s pause: the 500 ms command timeout answers first.
        using var during = await replica.Client.GetAsync("/v1/jobs");
        var problem = await during.JsonObjectAsync();
        await replica.WaitUntilReadyAsync(Patience); // readiness pings Redis: it answers again
        var location = await replica.Client.StartJobAsync(new { samples = new { seed = 4, stepsPerGroup = new[] { 1 } } });
        var finished = await replica.Client.PollJobAsync(location, v => v.Status is "succeeded" or "failed", Patience);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.Equal("the cluster's job store (Redis) is not answering; send the request again in a few seconds", problem["detail"]!.GetValue<string>());
        Assert.Equal("succeeded", finished.Status);
        Assert.False(replica.HasExited);
    }
}
