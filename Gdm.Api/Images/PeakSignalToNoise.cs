namespace Gdm.Api.Images;

/// <summary>PSNR in dB of a reconstruction against a reference, both in the value range [min, max]: 10 log10((max - min)^2 / MSE).</summary>
public static class PeakSignalToNoise
{
    /// <summary>Reported for a reconstruction equal to its reference (the PSNR itself would be infinite, which JSON cannot hold).</summary>
    public const double CapDb = 100;

    /// <summary>The reconstruction is clamped to the range first, as its PNG would be.</summary>
    public static double Decibels(ReadOnlySpan<float> reference, ReadOnlySpan<float> reconstruction, double min, double max)
    {
        if (reference.Length != reconstruction.Length || reference.Length == 0)
            throw new ArgumentException($"PSNR needs two non-empty images of one size, got {reference.Length} and {reconstruction.Length} values");
        var squares = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var difference = Math.Clamp(reconstruction[i], min, max) - reference[i];
            squares += difference * difference;
        }

        var mse = squares / reference.Length;
        var peak = max - min;
        return mse == 0 ? CapDb : Math.Min(CapDb, 10 * Math.Log10(peak * peak / mse));
    }
}
