using StackExchange.Redis;

namespace Gdm.Tests.Api.Support;

/// <summary>One redis-server and a connection to it for a test class; tests keep apart by each using its own key prefix.</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisFixture()
    {
        Server = RedisServer.Start();
        Connection = Server.Connect();
    }

    public RedisServer Server { get; }

    public ConnectionMultiplexer Connection { get; }

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("n")[..12];

    public void Dispose()
    {
        Connection.Dispose();
        Server.Dispose();
    }
}
