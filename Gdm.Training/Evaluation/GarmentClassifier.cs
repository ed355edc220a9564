using Gdm.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Gdm.Training.Evaluation;

/// <summary>
/// The evaluator's judge: two convolution stages and a 128-wide feature layer before the class layer. Its
/// penultimate features feed the Fréchet distance and its labels the level checks.
/// </summary>
public sealed class GarmentClassifier : Module<Tensor, Tensor>
{
    public const int FeatureWidth = 128;

    private readonly Conv2d _edges;
    private readonly Conv2d _parts;
    private readonly Linear _features;
    private readonly Linear _classes;

    public GarmentClassifier(ImageShape shape, int classes)
        : base(nameof(GarmentClassifier))
    {
        _edges = Conv2d(shape.Channels, 32, 3, padding: 1);
        _parts = Conv2d(32, 64, 3, padding: 1);
        _features = Linear(64 * (shape.Height / 4) * (shape.Width / 4), FeatureWidth);
        _classes = Linear(FeatureWidth, classes);
        RegisterComponents();
    }

    /// <summary>Penultimate activations [B, 128] of images [B, C, H, W] in [-1, 1].</summary>
    public Tensor Features(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = functional.max_pool2d(functional.relu(_edges.forward(images)), 2);
        x = functional.max_pool2d(functional.relu(_parts.forward(x)), 2);
        return functional.relu(_features.forward(x.flatten(1))).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor images) => _classes.forward(Features(images));
}
