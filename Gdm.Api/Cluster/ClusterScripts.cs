namespace Gdm.Api.Cluster;

/// <summary>
/// The Lua shared by the job scripts: each script runs atomically in Redis, so a job's state, its stream entry, its
/// queue place and its events never disagree. Keys are built from the prefix inside the scripts (fine on one Redis
/// server or a replicated pair; a sharded Redis Cluster would need hash tags).
/// `final` tells a finished status; `event` appends one progress event and announces it on the changed channel;
/// `behind` gives every job queued from a rank on an event with its new position (the queue moved in front of them);
/// `close` writes a final status with its error, acknowledges and deletes a delivered stream entry, takes the job out of
/// its owner's unfinished jobs, appends the done event and starts the retention clock.
/// </summary>
internal static class ClusterScripts
{
    public const string Prelude = """
        local function final(status)
          return status == 'succeeded' or status == 'failed' or status == 'cancelled'
        end
        local function event(prefix, queued, changed, id, kind)
          local job = prefix .. id
          local h = redis.call('HMGET', job, 'status', 'done', 'total')
          local position = 0
          local rank = redis.call('ZRANK', queued, id)
          if rank then position = rank + 1 end
          redis.call('XADD', job .. ':events', 'MAXLEN', '~', 1000, '*',
            'type', kind, 'status', h[1], 'position', position, 'done', h[2] or 0, 'total', h[3] or 0)
          redis.call('PUBLISH', changed, id)
        end
        local function behind(prefix, queued, changed, rank)
          for _, other in ipairs(redis.call('ZRANGE', queued, rank, -1)) do
            event(prefix, queued, changed, other, 'progress')
          end
        end
        local function close(prefix, stream, group, queued, changed, id, status, code, title, detail, now, retention)
          local job = prefix .. id
          redis.call('HSET', job, 'status', status, 'finishedAt', now)
          if code ~= '' then
            redis.call('HSET', job, 'errorStatus', code, 'errorTitle', title, 'errorDetail', detail)
          end
          -- An entry no replica has read yet stays until one reads it and skips it: deleting it early would leave the
          -- group's lag undetermined (Redis reports NULL while a deleted entry lies beyond the last delivered one).
          local entry = redis.call('HGET', job, 'entry')
          if entry and #redis.call('XPENDING', stream, group, entry, entry, 1) > 0 then
            redis.call('XACK', stream, group, entry)
            redis.call('XDEL', stream, entry)
          end
          local rank = redis.call('ZRANK', queued, id)
          redis.call('ZREM', queued, id)
          if rank then behind(prefix, queued, changed, rank) end
          local active = redis.call('HGET', job, 'ownerActive')
          if active then redis.call('SREM', active, id) end
          event(prefix, queued, changed, id, 'done')
          redis.call('EXPIRE', job, retention)
          redis.call('EXPIRE', job .. ':events', retention)
        end
        """;
}
