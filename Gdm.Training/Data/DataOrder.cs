namespace Gdm.Training.Data;

/// <summary>
/// Which images make up the batch of each step: epochs are seeded shuffles of the whole set, laid end to end, and
/// step s takes positions s*B .. s*B+B-1 of that stream. A pure function of (seed, step), so a resumed run needs
/// no saved generator state to draw the same batches.
/// </summary>
public sealed class DataOrder(int count, int batchSize, int seed)
{
    private int _cachedEpoch = -1;
    private int[] _permutation = [];

    public int[] Batch(long step)
    {
        var batch = new int[batchSize];
        for (var j = 0; j < batchSize; j++)
        {
            var position = step * batchSize + j;
            batch[j] = Permutation((int)(position / count))[(int)(position % count)];
        }

        return batch;
    }

    private int[] Permutation(int epoch)
    {
        if (epoch == _cachedEpoch)
            return _permutation;
        // System.Random with an explicit seed is a fixed algorithm across .NET versions and processes.
        var random = new Random(unchecked(seed * 1_000_003 + epoch));
        var permutation = Enumerable.Range(0, count).ToArray();
        random.Shuffle(permutation);
        _cachedEpoch = epoch;
        _permutation = permutation;
        return permutation;
    }
}
