using System.CommandLine;
using Gdm.Training.Cli;

namespace Gdm.Bench;

/// <summary>
/// BenchOptions as flags, each with the record's default. The host flags (which model, engine batch, threads,
/// shards, spinning) serve every mode; the measuring flags only the full bench.
/// </summary>
public sealed class BenchFlags
{
    private static readonly BenchOptions Defaults = new();

    private readonly Option<string> _models = Flag.Text("--models", "DIR", "the model folder to serve", Defaults.Models);
    private readonly Option<string?> _model = Flag.OptionalText("--model", "NAME", "the model to measure", "the folder's default model");
    private readonly Option<int> _maxBatch = Flag.Number("--max-batch", "IMAGES", "the engine's MaxBatchSize, and the largest batch of the network alone", Defaults.MaxBatchSize, 1);
    private readonly Option<int> _threads = Flag.Number("--threads", "THREADS", "ONNX Runtime intra-op threads (0: all cores)", Defaults.IntraOpThreads, 0);
    private readonly Option<int> _shards = Flag.Number("--shards", "SHARDS", "single-threaded sessions a batch is cut over, as Inference:Shards (0: one per thread, 1: one session)", Defaults.Shards, 0);
    private readonly Option<string> _spinning = Flag.Text("--spinning", "on|off", "ONNX Runtime's spin-waiting between ops, as Inference:AllowSpinning", Defaults.AllowSpinning ? "on" : "off");
    private readonly Option<int> _clientRounds = Flag.Number("--client-rounds", "ROUNDS", "rounds per client count (the service, then the network alone at the batch it formed); ratios are their median", Defaults.ClientRounds, 1);
    private readonly Option<int> _requestsPerClient = Flag.Number("--requests-per-client", "REQUESTS", "count-1 requests each client sends back to back", Defaults.RequestsPerClient, 1);
    private readonly Option<IReadOnlyList<int>?> _clients = Flag.List("--clients", "LIST", "concurrent clients of each service figure, comma-separated", string.Join(',', Defaults.Clients), Positive);
    private readonly Option<int> _variationRepeats = Flag.Number("--variation-repeats", "REPEATS", "repeats of each variation and upload figure (medians are over them)", Defaults.VariationRepeats, 1);
    private readonly Option<int?> _stepsPerGroup = Flag.OptionalNumber("--steps-per-group", "STEPS", "sampler steps per group", "the manifest's", 1);
    private readonly Option<string?> _json = Flag.OptionalText("--json", "FILE", "where to write the figures as JSON", "none");
    private readonly Option<IReadOnlyList<string>?> _parts = Flag.List("--parts", "LIST", $"what runs after the limit (which always runs), comma-separated: {string.Join(',', BenchOptions.AllParts)}",
        string.Join(',', BenchOptions.DefaultParts), Part);
    private readonly Option<string?> _parityInput = Flag.OptionalText("--parity-input", "FILE", "float32 x values then t values to run through the network once (with --parity-output; the peer script's check)", "none");
    private readonly Option<string?> _parityOutput = Flag.OptionalText("--parity-output", "FILE", "where that batch's network output goes", "none");
    private readonly Option<double> _limitSeconds = Flag.Number("--limit-seconds", "SECONDS", "seconds per network figure (each is the median of three)", Defaults.LimitSeconds, double.Epsilon);
    private readonly bool _measuring;

    /// <param name="measuring">With the measuring flags (the full bench), or the host flags alone (fuzz, load).</param>
    public BenchFlags(bool measuring)
    {
        _measuring = measuring;
        _spinning.AcceptOnlyFromAmong("on", "off", "true", "false");
    }

    public void AddTo(Command command)
    {
        Option[] host = [_models, _model, _maxBatch, _threads, _shards, _spinning];
        Option[] measuring = [_requestsPerClient, _clientRounds, _clients, _variationRepeats, _stepsPerGroup, _json, _parts, _parityInput, _parityOutput, _limitSeconds];
        foreach (var option in _measuring ? host.Concat(measuring) : host)
            command.Options.Add(option);
    }

    public BenchOptions Read(ParseResult result)
    {
        var options = new BenchOptions
        {
            Models = result.GetValue(_models)!,
            Model = result.GetValue(_model),
            MaxBatchSize = result.GetValue(_maxBatch),
            IntraOpThreads = result.GetValue(_threads),
            Shards = result.GetValue(_shards),
            AllowSpinning = result.GetValue(_spinning) is "on" or "true",
        };
        return !_measuring ? options : options with
        {
            RequestsPerClient = result.GetValue(_requestsPerClient),
            ClientRounds = result.GetValue(_clientRounds),
            Clients = result.GetValue(_clients) ?? Defaults.Clients,
            VariationRepeats = result.GetValue(_variationRepeats),
            StepsPerGroup = result.GetValue(_stepsPerGroup),
            Json = result.GetValue(_json),
            Parts = result.GetValue(_parts)?.ToHashSet() ?? Defaults.Parts,
            ParityInput = result.GetValue(_parityInput),
            ParityOutput = result.GetValue(_parityOutput),
            LimitSeconds = result.GetValue(_limitSeconds),
        };
    }

    private static int Positive(string text) =>
        Flag.WholeNumber(text) is var n and > 0 ? n : throw new FormatException($"'{text}' is not a positive whole number");

    private static string Part(string text) =>
        BenchOptions.AllParts.Contains(text) ? text : throw new FormatException($"unknown part '{text}': use {string.Join(",", BenchOptions.AllParts)}");
}
