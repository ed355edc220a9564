namespace Gdm.Api.Engine;

/// <summary>Why a job did not succeed, as the HTTP status and words a synchronous request would have got.</summary>
public sealed record JobFailure(int StatusCode, string Title, string Detail, TimeSpan? RetryAfter = null);
