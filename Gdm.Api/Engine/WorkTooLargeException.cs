namespace Gdm.Api.Engine;

/// <summary>Work that could not finish inside the deadline even on an idle engine: answer 400, waiting will not help.</summary>
public sealed class WorkTooLargeException(string message) : Exception(message);
