namespace Gdm.Core.Sampling;

/// <summary>Evaluations done and evaluations needed by one batch run, reported after every network call.</summary>
public readonly record struct SamplingProgress(int EvaluationsDone, int EvaluationsTotal)
{
    public double Fraction => EvaluationsTotal == 0 ? 1.0 : (double)EvaluationsDone / EvaluationsTotal;
}
