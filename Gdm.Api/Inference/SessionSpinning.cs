using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Gdm.Api.Inference;

/// <summary>
/// ONNX Runtime's thread pools spin while waiting for work by default. On a machine whose cores the network already
/// fills, that spinning takes cycles from the threads doing the work, so the service turns it off.
/// </summary>
public static class SessionSpinning
{
    public static void TurnOff(SessionOptions options)
    {
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
    }
}
