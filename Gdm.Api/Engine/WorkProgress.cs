namespace Gdm.Api.Engine;

/// <summary>Network evaluations done and needed by one piece of work; Started once its first trajectory is in a batch.</summary>
public readonly record struct WorkProgress(int EvaluationsDone, int EvaluationsTotal, bool Started);
