namespace Gdm.Api.Inference;

public enum ExecutionProviderKind
{
    Cpu,
    Cuda,
}
