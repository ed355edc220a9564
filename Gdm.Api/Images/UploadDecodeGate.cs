using System.Threading.RateLimiting;

namespace Gdm.Api.Images;

/// <summary>
/// Bounds decoding: at most maxConcurrent uploads are decoded at once and their estimated memory stays within the
/// budget; up to maxQueued more wait in line, oldest first. One that finds the line full is refused at once
/// (UploadsBusyException), so a burst of large uploads waits or is refused and never piles up in memory.
/// </summary>
public sealed class UploadDecodeGate : IDisposable
{
    /// <summary>A decode takes milliseconds: the line is short again within a second.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private const int BytesPerPermit = 1 << 20;
    private readonly ConcurrencyLimiter _decodes;
    private readonly ConcurrencyLimiter _memory;
    private readonly long _budgetBytes;

    public UploadDecodeGate(int maxConcurrent, int maxQueued, long memoryBudgetBytes)
    {
        _budgetBytes = memoryBudgetBytes;
        _decodes = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxConcurrent,
            QueueLimit = maxQueued,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        // Permits are MiB of the budget, rounded up as a decode's estimate is, so any decode that fits the budget in
        // bytes also fits it in permits; only holders of a decode permit ask, so at most maxConcurrent wait here.
        var mebibytes = (int)Math.Max(1, (memoryBudgetBytes + BytesPerPermit - 1) / BytesPerPermit);
        _memory = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = mebibytes,
            QueueLimit = mebibytes * Math.Max(1, maxConcurrent),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Waits for a decode slot and the memory; dispose the lease when the decoded image is gone.</summary>
    public async ValueTask<IDisposable> EnterAsync(long estimatedBytes, CancellationToken cancellationToken)
    {
        if (estimatedBytes > _budgetBytes)
            throw new ArgumentOutOfRangeException(nameof(estimatedBytes), $"a decode of {estimatedBytes} bytes cannot fit the budget of {_budgetBytes}");
        var decode = await _decodes.AcquireAsync(1, cancellationToken);
        if (!decode.IsAcquired)
        {
            decode.Dispose();
            throw new UploadsBusyException("the image decoders are busy and their waiting line is full", RetryAfter);
        }

        var permits = (int)Math.Max(1, (estimatedBytes + BytesPerPermit - 1) / BytesPerPermit);
        RateLimitLease memory;
        try
        {
            memory = await _memory.AcquireAsync(permits, cancellationToken);
        }
        catch
        {
            decode.Dispose();
            throw;
        }

        if (!memory.IsAcquired)
        {
            memory.Dispose();
            decode.Dispose();
            throw new UploadsBusyException("the image decoders' memory budget is taken and their waiting line is full", RetryAfter);
        }

        return new Lease(decode, memory);
    }

    public void Dispose()
    {
        _decodes.Dispose();
        _memory.Dispose();
    }

    private sealed class Lease(RateLimitLease decode, RateLimitLease memory) : IDisposable
    {
        public void Dispose()
        {
            memory.Dispose();
            decode.Dispose();
        }
    }
}
