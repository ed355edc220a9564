using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>
/// Redis not answering: a RedisException (connection lost, server error) or a RedisTimeoutException, which derives
/// from TimeoutException, not RedisException. The cluster's background loops log it and try again; nothing else is
/// treated as an outage.
/// </summary>
public static class RedisOutage
{
    public static bool Is(Exception e) => e is RedisException or RedisTimeoutException;
}
