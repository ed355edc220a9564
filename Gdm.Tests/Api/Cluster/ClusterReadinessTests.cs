using System.Net;
using System.Text.Json;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Cluster;

/// <summary>
/// A replica is ready only while it can reach the cluster's Redis: with Redis gone a load balancer must stop sending it
/// work (it could neither queue nor read a job), and once Redis is back the replica is ready again by itself.
/// </summary>
public sealed class ClusterReadinessTests
{
    [Fact]
    public async Task Readiness_follows_the_clusters_Redis_down_and_up_again()
    {
        var redis = RedisServer.Start();
        var port = redis.Port;
        try
        {
            using var replica = ServiceProcess.Start("ready", new Dictionary<string, string>
            {
                ["Cluster:Redis"] = redis.ConnectionString,
                ["Cluster:KeyPrefix"] = RedisFixture.NewPrefix(),
                ["Models:Folder"] = TestModel.Folder,
                ["Models:DefaultModel"] = "",
                ["Models:WarmUpBatchSize"] = "1",
                ["Inference:IntraOpThreads"] = "1",
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            await replica.WaitUntilReadyAsync(TimeSpan.FromSeconds(180));

            redis.Dispose();
            var (status, detail) = await PollReadyAsync(replica, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("the cluster's Redis does not answer", detail, StringComparison.Ordinal);
            Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), detail, StringComparison.Ordinal);

            redis = RedisServer.Start(port);
            (status, _) = await PollReadyAsync(replica, HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            redis.Dispose();
        }
    }

    /// <summary>Polls /health/ready until it answers the wanted status (or a minute passes); the last status and detail.</summary>
    private static async Task<(HttpStatusCode Status, string Detail)> PollReadyAsync(ServiceProcess replica, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await replica.Client.GetAsync("/health/ready");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var detail = body.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
            if (response.StatusCode == wanted || DateTime.UtcNow > deadline)
                return (response.StatusCode, detail);
            await Task.Delay(100);
        }
    }
}
