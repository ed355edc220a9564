namespace Gdm.Api.Engine;

/// <summary>The service is shutting down: work it has not finished is answered 503 (a job fails) with a reason a client can act on.</summary>
public sealed class ServiceStoppingException() : Exception(Reason)
{
    public const string Reason =
        "the service is shutting down and did not finish this request: send it again (to another replica, or to this one once it is back); " +
        "its recipe is deterministic, so the same request gives the same images";
}
