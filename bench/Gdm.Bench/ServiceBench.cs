using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Gdm.Api.Endpoints;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Microsoft.Extensions.DependencyInjection;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Bench;

/// <summary>
/// The full bench (gdm-bench without a verb): the network against the machine's fp32 peak, the service against the
/// network alone, batch invariance, and the cost of a variation from level g against a full sample. Prints numbers;
/// asserts nothing.
/// </summary>
public static class ServiceBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var loadAtStart = MachineLoad.LoadAverage();
        if (await ServiceHost.StartServingAsync(options, "gdm-bench") is not (var app, var address, var model))
            return 1;
        await using var _ = app;

        if (options.ParityInput is { } parityInput)
            return RunParity(parityInput, options.ParityOutput ?? throw new ArgumentException("--parity-input needs --parity-output"));

        var groups = model.Process.Grouping.Count;
        var steps = options.StepsPerGroup is { } s ? Enumerable.Repeat(s, groups).ToArray() : model.Manifest.DefaultStepsPerGroup.ToArray();
        // Every request of the bench gets the model's default sampler and grid, as a client that names neither does, and
        // an image costs that sampler's evaluations (Heun's corrector doubles most steps), not one per grid step.
        var sampler = model.Manifest.DefaultSamplerKind;
        var grid = model.GenerationGrid(steps, 0, model.NewRecipes);
        var gridSteps = grid.StepCount;
        var evaluations = Samplers.Create(sampler).TotalEvaluations(grid);
        var threads = options.IntraOpThreads == 0 ? Environment.ProcessorCount : options.IntraOpThreads;
        Console.WriteLine($"model {model.Name}: {model.Shape} {model.Manifest.Grouping}, {groups} groups, steps per group [{string.Join(",", steps)}] = {gridSteps} steps; " +
                          $"sampler {Samplers.Name(sampler)} on the {model.Manifest.DefaultGridSpacing.Name} grid (the model's defaults) = {evaluations} evaluations per image");
        Console.WriteLine($"engine: MaxBatchSize {options.MaxBatchSize}, intra-op threads {threads}{(options.IntraOpThreads == 0 ? " (all cores)" : "")}, shards {(options.Shards == 0 ? "one per thread" : options.Shards)}, " +
                          $"spinning {(options.AllowSpinning ? "on" : "off")}, {Environment.ProcessorCount} cores ({Processor()})");
        Console.WriteLine($"load average at start: {loadAtStart:F2}{(loadAtStart > threads ? $"  WARNING: above the {threads} threads measured on: the machine is busy, every figure and ratio below is distorted" : "")}");
        Console.WriteLine();

        // 1. The limit: FLOPs of one evaluation from the graph, the machine's fp32 peak on the engine's thread count, and the
        // network alone at batch 1 and MaxBatchSize (medians of three, taken in turn).
        var graph = GraphFlops.Count(Path.Combine(model.Folder, model.Manifest.Network.OnnxFile));
        const string leftOut = "the bias adds of Conv and Gemm and Gemm's alpha/beta scaling, and every op but Conv, Gemm and MatMul (group norms, SiLU, " +
                               "softmax, resize, concat, the time embedding's sinusoids: elementwise and memory-bound); Conv's taps on its zero padding are counted, not subtracted";
        Console.WriteLine($"FLOPs per evaluation (one image through the network), from the ONNX graph ({graph.Nodes} nodes): {graph.MultiplyAdds / 1e6:F1} M multiply-adds = {graph.Flops / 1e9:F3} GFLOP " +
                          $"({string.Join(", ", graph.MultiplyAddsByOp.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {(double)p.Value / graph.MultiplyAdds:P1}"))})");
        Console.WriteLine($"  left out: {leftOut}; the ops left out write {graph.UncountedElements / 1e6:F2} M output elements (their memory-bound work)");
        var peakLoad = MachineLoad.Start();
        var peak = PeakFlops.Measure(threads);
        var peakOthers = peakLoad.OtherCores();
        Console.WriteLine($"fp32 peak, {PeakFlops.Instructions} loop on {threads} threads: {peak:F1} GFLOP/s{Others(peakOthers)}");
        var roundTrip = CacheRoundTrip.Measure();
        Console.WriteLine($"cache-line round trip between two threads: {roundTrip:F0} ns, {CacheRoundTrip.Placement(roundTrip)} " +
                          $"(above {CacheRoundTrip.AcrossL3Nanoseconds:F0} ns: different L3 caches, where one session's threads wait longer on each other)");

        // The service's network (sharded unless configured otherwise) and, beside it, the one session on every thread it replaces.
        var limit = new NetworkLimit(model.Network, graph.Flops, peak, evaluations);
        var shards = (model.Network as ShardedImageNetwork)?.ShardCount ?? 1;
        var label = shards > 1 ? $"network alone ({shards} single-threaded shards, batch 1 on the {threads}-thread session)" : $"network alone (one {threads}-thread session)";
        // With shards, also one single-threaded session (what one shard is) for batch 1, where the whole session's
        // threads wait on each other at every node and one core may be faster than two.
        using var oneSession = shards > 1 ? OneSession(model, options.IntraOpThreads, options) : null;
        using var oneThread = shards > 1 ? OneSession(model, 1, options) : null;
        var measured = NetworkLimit.MeasureInTurn(
            [limit, .. new IImageNetwork?[] { oneSession, oneThread }.OfType<IImageNetwork>().Select(n => new NetworkLimit(n, graph.Flops, peak, evaluations))],
            [1, options.MaxBatchSize], 3, options.LimitSeconds);
        var figures = measured[0];
        foreach (var figure in figures.Values)
            Console.WriteLine(Describe(label, figure));
        var (oneSessionFigures, oneThreadFigures) = shards > 1 ? (measured[1], measured[2]) : (null, null);
        if (oneSessionFigures is not null && oneThreadFigures is not null)
        {
            Console.WriteLine(Describe($"  against one {threads}-thread session", oneSessionFigures[options.MaxBatchSize]) +
                              $": shards {figures[options.MaxBatchSize].EvaluationsPerSecond / oneSessionFigures[options.MaxBatchSize].EvaluationsPerSecond:F2} x");
            Console.WriteLine(Describe("  one shard alone (one 1-thread session)", oneThreadFigures[1]) +
                              $": {oneThreadFigures[1].EvaluationsPerSecond / figures[1].EvaluationsPerSecond:F2} x the {threads}-thread session at batch 1");
            // How well the shards scale: the same batch on one shard alone; shards x that would be perfect.
            Console.WriteLine(Describe("  one shard alone (one 1-thread session)", oneThreadFigures[options.MaxBatchSize]) +
                              $": the {shards} shards make {figures[options.MaxBatchSize].EvaluationsPerSecond / oneThreadFigures[options.MaxBatchSize].EvaluationsPerSecond:F2} x its evaluations/s ({shards} would be perfect scaling)");
        }

        Console.WriteLine();

        // ONNX Runtime session options and the group-norm rewrite of the graph, each against the service's session.
        if (options.Parts.Contains("sessions"))
        {
            SessionVariants.Measure(model, threads, [1, options.MaxBatchSize], graph.Flops, peak, evaluations, options.LimitSeconds, 3);
            Console.WriteLine();
        }

        // 2. Batch invariance of the network itself: each item alone vs inside a batch of MaxBatchSize.
        {
            var d = model.Shape.Size;
            var batch = options.MaxBatchSize;
            var states = new float[batch * d];
            var times = new double[batch];
            var started = new int[batch];
            for (var b = 0; b < batch; b++)
            {
                LatentRecipe.FromSeed((ulong)(100 + b), groups).Realise(model.Process.Grouping).CopyTo(states, b * d);
                times[b] = 1.0 - (b + 0.5) / batch;
                started[b] = model.Process.Schedule.StartedGroups(times[b], times[b]);
            }

            var together = new float[batch * d];
            model.Denoiser.Predict(states, times, started, together);
            var maxDifference = 0.0;
            for (var b = 0; b < batch; b++)
            {
                var alone = new float[d];
                model.Denoiser.Predict(states.AsSpan(b * d, d), times.AsSpan(b, 1), started.AsSpan(b, 1), alone);
                for (var i = 0; i < d; i++)
                    maxDifference = Math.Max(maxDifference, Math.Abs(alone[i] - together[b * d + i]));
            }

            Console.WriteLine($"network batch invariance: max |u(alone) - u(in batch of {batch}, mixed t)| = {maxDifference:G3}");
        }

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(30) };
        var json = RecipeMapping.Json;

        // 3. Image batch invariance through the service: one seed alone, then inside a busy batch of mixed requests.
        var clientFigures = new List<ClientFigure>();
        if (options.Parts.Contains("service"))
        {
            // The engine's work around each call without HTTP: the sampler, transform and denoiser over full trajectories.
            foreach (var batch in new[] { 1, options.MaxBatchSize }.Distinct())
                MeasureTrajectories(batch, "sampler + denoiser + network", model.Denoiser);
            // The same around a network that does nothing: the engine's own work per step, to set against the network's.
            var idle = new NetworkDenoiser(new IdleNetwork(model.Shape), model.Process);
            foreach (var batch in new[] { 1, options.MaxBatchSize }.Distinct())
                MeasureTrajectories(batch, "sampler + denoiser, idle network", idle);
            Console.WriteLine();

            var alone = await Images(new { seed = 777, format = "pixels", stepsPerGroup = steps, sampler });
            var busy = Enumerable.Range(0, options.MaxBatchSize - 1)
                .Select(i => Images(new { seed = 5000 + i, format = "pixels", stepsPerGroup = steps, sampler }))
                .Append(Images(new { seed = 777, format = "pixels", stepsPerGroup = steps, sampler }))
                .ToArray();
            var inBatch = (await Task.WhenAll(busy))[^1];
            var range = model.Manifest.ValueRange;
            var a = Floats(alone.Images[0].Pixels!);
            var b = Floats(inBatch.Images[0].Pixels!);
            var maxGrey = a.Zip(b, (x, y) => Math.Abs(x - y) * 255 / (range[1] - range[0])).Max();
            var identical = a.AsSpan().SequenceEqual(b);
            Console.WriteLine($"image batch invariance: max difference alone vs in a busy batch = {maxGrey:G3} grey levels (of 255){(identical ? ", bit-identical" : "")}");
            Console.WriteLine();

            // 4. Throughput and latency at 1, 4, 16 concurrent clients, each sending count-1 requests back to back
            // (after one untimed round at full batch, so JIT and arena growth are not measured), in rounds, each set against
            // the network alone at the batch size the service formed, measured right after it.
            await Task.WhenAll(Enumerable.Range(0, options.MaxBatchSize).Select(i => Images(new { seed = 1 + i, stepsPerGroup = steps, sampler })));
            foreach (var clients in options.Clients)
            {
                var rounds = new List<ClientFigure>();
                for (var round = 0; round < options.ClientRounds; round++)
                    rounds.Add(await MeasureClients(clients, round));
                var figure = rounds.OrderBy(f => f.ShareOfRaw).ElementAt(rounds.Count / 2);
                Console.WriteLine($"service, {clients,2} clients: {figure.ImagesPerSecond,8:F2} images/s = {figure.ShareOfRaw,4:P0} of the network alone at batch {Math.Clamp((int)Math.Round(figure.MeanBatch), 1, options.MaxBatchSize)} ({figure.RawImagesPerSecond:F2}), " +
                                  $"latency p50 {figure.LatencyP50Milliseconds,7:F0} ms, p95 {figure.LatencyP95Milliseconds,7:F0} ms; mean batch {figure.MeanBatch,5:F1}, network busy {figure.NetworkBusy,4:P0} " +
                                  $"(median of {rounds.Count} rounds by share of raw: {string.Join(", ", rounds.Select(r => r.ShareOfRaw.ToString("P0", CultureInfo.InvariantCulture)))}){Others(rounds.Max(r => r.OtherCores))}");
                clientFigures.Add(figure with { OtherCores = rounds.Max(r => r.OtherCores) });
            }

            // One round: each client sends count-1 requests back to back; then the network alone at the batch size the
            // service formed (its mean, rounded), right after, so both figures see the machine at the same speed.
            async Task<ClientFigure> MeasureClients(int clients, int round)
            {
                var latencies = new List<double>();
                var (batchSum, batchCount, stepSeconds) = (EngineMetrics.BatchSize.Sum, EngineMetrics.BatchSize.Count, EngineMetrics.StepSeconds.Sum);
                var load = MachineLoad.Start();
                var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
                var started = Stopwatch.GetTimestamp();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
                {
                    for (var r = 0; r < options.RequestsPerClient; r++)
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        await Images(new { seed = 10_000 + round * 100_000 + c * 1000 + r, stepsPerGroup = steps, sampler });
                        lock (latencies)
                            latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    }
                }));
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var allocatedPerImage = (GC.GetTotalAllocatedBytes(precise: true) - bytesBefore) / (double)latencies.Count;
                var imagesPerSecond = latencies.Count / seconds;
                var meanBatch = (EngineMetrics.BatchSize.Sum - batchSum) / (EngineMetrics.BatchSize.Count - batchCount);
                var networkBusy = (EngineMetrics.StepSeconds.Sum - stepSeconds) / seconds;
                var formed = Math.Clamp((int)Math.Round(meanBatch), 1, options.MaxBatchSize);
                var raw = limit.Measure(formed, options.LimitSeconds);
                var others = load.OtherCores();
                Console.WriteLine($"  round {round + 1}, {clients,2} clients: {imagesPerSecond,8:F2} images/s against {raw.ImagesPerSecond:F2} of the network alone at batch {formed} = {imagesPerSecond / raw.ImagesPerSecond,4:P0}; " +
                                  $"{latencies.Count} requests, {allocatedPerImage / 1024,6:F0} KiB allocated per image (service and in-process clients){Others(others)}");
                return new ClientFigure(clients, imagesPerSecond, meanBatch, raw.ImagesPerSecond, imagesPerSecond / raw.ImagesPerSecond, networkBusy,
                    Latencies.Percentile(latencies, 50), Latencies.Percentile(latencies, 95), others);
            }

            Console.WriteLine();
        }

        // 5. A variation from level g (source just made, so its prefix comes from recent outputs) against a full sample.
        if (options.Parts.Contains("variations"))
        {
            var full = new List<double>();
            var byLevel = Enumerable.Range(0, groups).Select(_ => new List<double>()).ToArray();
            for (var r = 0; r < options.VariationRepeats; r++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var source = (await Images(new { seed = 90_000 + r, stepsPerGroup = steps, sampler })).Images[0].Recipe;
                full.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                for (var g = 0; g < groups; g++)
                {
                    var t1 = Stopwatch.GetTimestamp();
                    await Images(new VariationsRequest { Source = new ImageSource { Recipe = source }, FromGroup = g, Seed = (ulong)(r * 100 + g) });
                    byLevel[g].Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
                }
            }

            // Ratios are taken within a repeat (a variation against the full sample made just before it), so slow drift
            // of other load on the machine cancels; the medians are over repeats.
            var fullMedian = Latencies.Percentile(full, 50);
            Console.WriteLine($"full sample: {fullMedian:F0} ms (median of {full.Count})");
            for (var g = 0; g < groups; g++)
            {
                var median = Latencies.Percentile(byLevel[g], 50);
                var ratio = Latencies.Percentile(byLevel[g].Select((t, r) => t / full[r]).ToArray(), 50);
                var stepsRun = TimeGrid.Generation(model.Process.Schedule, steps, g).StepCount;
                Console.WriteLine($"variation from level {g}: {median,6:F0} ms = {ratio,5:F2} x full sample ({stepsRun} of {gridSteps} steps = {(double)stepsRun / gridSteps:F2})");
            }

            Console.WriteLine();
        }

        // 6. An uploaded PNG: a variation from level g (the upload's own coefficients of the groups below g are the prefix,
        // so nothing is inverted) and an encode (inversion, then a decode to check it), each against a full sample made just
        // before it in the same repeat.
        if (options.Parts.Contains("uploads"))
        {
            var png = (await Images(new { seed = 91_000, stepsPerGroup = steps, sampler })).Images[0].Png!;
            var upload = new ImageUpload { Base64 = png };
            var full = new List<double>();
            var encode = new List<double>();
            var byLevel = Enumerable.Range(0, groups).Select(_ => new List<double>()).ToArray();
            var traverseByLevel = Enumerable.Range(0, groups).Select(_ => new List<double>()).ToArray();
            for (var r = 0; r < options.VariationRepeats; r++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await Images(new { seed = 92_000 + r, stepsPerGroup = steps, sampler });
                full.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                for (var g = 1; g < groups; g++)
                {
                    var t1 = Stopwatch.GetTimestamp();
                    await Images(new VariationsRequest { Source = new ImageSource { Image = upload }, FromGroup = g, Seed = (ulong)(r * 100 + g), StepsPerGroup = steps });
                    byLevel[g].Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
                }

                // A traversal of the upload at group g: its inversion stops at e_g, then two heun images start there.
                for (var g = 0; g < groups; g++)
                {
                    var t3 = Stopwatch.GetTimestamp();
                    var traversal = new TraverseRequest { Source = new ImageSource { Image = upload }, Group = g, Values = [-1f, 1f], StepsPerGroup = steps, Sampler = SamplerKind.Heun };
                    using var traversed = await http.PostAsJsonAsync("/v1/traverse", traversal, json);
                    traversed.EnsureSuccessStatusCode();
                    traverseByLevel[g].Add(Stopwatch.GetElapsedTime(t3).TotalMilliseconds);
                }

                var t2 = Stopwatch.GetTimestamp();
                using var encoded = await http.PostAsJsonAsync("/v1/encode", new EncodeRequest { Image = upload, StepsPerGroup = steps }, json);
                encoded.EnsureSuccessStatusCode();
                encode.Add(Stopwatch.GetElapsedTime(t2).TotalMilliseconds);
            }

            Console.WriteLine($"uploaded PNG ({Convert.FromBase64String(png).Length} bytes): full sample {Latencies.Percentile(full, 50):F0} ms (median of {full.Count})");
            for (var g = 1; g < groups; g++)
            {
                var ratio = Latencies.Percentile(byLevel[g].Select((t, r) => t / full[r]).ToArray(), 50);
                var stepsRun = TimeGrid.Generation(model.Process.Schedule, steps, g).StepCount;
                Console.WriteLine($"upload variation from level {g}: {Latencies.Percentile(byLevel[g], 50),6:F0} ms = {ratio,5:F2} x full sample ({stepsRun} of {gridSteps} steps = {(double)stepsRun / gridSteps:F2})");
            }

            for (var g = 0; g < groups; g++)
            {
                var ratio = Latencies.Percentile(traverseByLevel[g].Select((t, r) => t / full[r]).ToArray(), 50);
                var stepsRun = TimeGrid.Generation(model.Process.Schedule, steps, g).StepCount;
                Console.WriteLine($"upload traversal at group {g} (2 images): {Latencies.Percentile(traverseByLevel[g], 50),6:F0} ms = {ratio,5:F2} x full sample (inversion and decodes of {stepsRun} of {gridSteps} steps, heun)");
            }

            var encodeRatio = Latencies.Percentile(encode.Select((t, r) => t / full[r]).ToArray(), 50);
            Console.WriteLine($"encode (heun inversion + heun decode): {Latencies.Percentile(encode, 50),6:F0} ms = {encodeRatio,5:F2} x full sample (4 x its evaluations)");
            Console.WriteLine();
        }

        // The network alone again, so drift of other load over the run shows; then the verdict on the load.
        var again = limit.Measure(options.MaxBatchSize, options.LimitSeconds);
        var roundTripAgain = CacheRoundTrip.Measure();
        Console.WriteLine(Describe("network alone again", again) + $"; cache-line round trip {roundTripAgain:F0} ns, {CacheRoundTrip.Placement(roundTripAgain)}");
        var loadAtEnd = MachineLoad.LoadAverage();
        var busiest = figures.Values.Append(again).Select(f => f.OtherCores).Concat(clientFigures.Select(c => c.OtherCores)).Append(peakOthers).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var machineBusy = loadAtStart > threads || busiest > MachineLoad.BusyOtherCores;
        Console.WriteLine($"load average at start {loadAtStart:F2}, at end {loadAtEnd:F2} (the bench's own {threads} threads included); other processes used up to {busiest:F2} cores during a figure");
        Console.WriteLine(machineBusy
            ? $"WARNING: the machine was busy (load above {threads} at start, or others above {MachineLoad.BusyOtherCores} cores during a figure): these figures and ratios are distorted; measure on a quiet machine"
            : "the machine was quiet enough: figures stand");

        if (options.Json is { } jsonPath)
        {
            var report = new BenchReport
            {
                Model = model.Name,
                Processor = Processor(),
                Threads = threads,
                PeakInstructions = PeakFlops.Instructions,
                PeakGflops = peak,
                MultiplyAddsPerEvaluation = graph.MultiplyAdds,
                FlopsLeftOut = leftOut,
                EvaluationsPerImage = evaluations,
                Sampler = Samplers.Name(sampler),
                Grid = model.Manifest.DefaultGridSpacing.Name,
                LoadAverageAtStart = loadAtStart,
                LoadAverageAtEnd = loadAtEnd,
                Busy = machineBusy,
                Batch1 = figures[1],
                MaxBatch = figures[options.MaxBatchSize],
                Shards = shards,
                OneSessionMaxBatch = oneSessionFigures?[options.MaxBatchSize],
                OneShardBatch1 = oneThreadFigures?[1],
                OneShardMaxBatch = oneThreadFigures?[options.MaxBatchSize],
                CacheRoundTripNanoseconds = roundTrip,
                Placement = CacheRoundTrip.Placement(roundTrip),
                Clients = clientFigures,
            };
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            Console.WriteLine($"figures written to {jsonPath}");
        }

        await app.StopAsync();
        return 0;

        string Describe(string label, NetworkFigure f) =>
            $"{label}, batch {f.Batch,3}: {f.EvaluationsPerSecond,8:F1} evaluations/s = {f.ImagesPerSecond,7:F2} images/s, {f.AchievedGflops,6:F1} GFLOP/s = {f.ShareOfPeak,4:P0} of peak{Others(f.OtherCores)}";

        // One session on `intraOpThreads` threads, loaded as the service would with Inference:Shards 1.
        static OnnxImageNetwork OneSession(LoadedModel model, int intraOpThreads, BenchOptions options) =>
            (OnnxImageNetwork)new OnnxNetworkLoader(
                Microsoft.Extensions.Options.Options.Create(new Gdm.Api.Options.InferenceOptions { IntraOpThreads = intraOpThreads, AllowSpinning = options.AllowSpinning, Shards = 1 }),
                Microsoft.Extensions.Options.Options.Create(new Gdm.Api.Options.EngineOptions { MaxBatchSize = options.MaxBatchSize }),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<OnnxNetworkLoader>.Instance).Load(model.Manifest, Path.Combine(model.Folder, model.Manifest.Network.OnnxFile));

        static string Others(double cores) =>
            double.IsFinite(cores) && cores > MachineLoad.BusyOtherCores ? $"  [BUSY: other processes used {cores:F2} cores meanwhile]" : "";

        static string Processor()
        {
            try
            {
                return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown processor";
            }
            catch (IOException)
            {
                return "unknown processor";
            }
        }

        // The peer script's parity check: x (batch x C x H x W) then t (batch) as float32, the network's output written back.
        int RunParity(string input, string output)
        {
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(input)).ToArray();
            var batch = values.Length / (model.Shape.Size + 1);
            if (batch * (model.Shape.Size + 1) != values.Length)
                throw new ArgumentException($"{input}: {values.Length} floats is not a whole batch of {model.Shape} images and their times");
            var result = new float[batch * model.Shape.Size];
            model.Network.Run(values.AsSpan(0, result.Length), values.AsSpan(result.Length), result);
            File.WriteAllBytes(output, System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()).ToArray());
            Console.WriteLine($"parity: ran a batch of {batch} through {model.Name}, output written to {output}");
            return 0;
        }

        void MeasureTrajectories(int batch, string label, IDenoiser denoiser)
        {
            var trajectories = Enumerable.Range(0, batch)
                .Select(i => new Trajectory(LatentRecipe.FromSeed((ulong)i, groups).Realise(model.Process.Grouping), grid))
                .ToArray();
            // The first of two runs only warms up (JIT, ONNX Runtime arenas); the second is timed.
            // Managed bytes allocated on this thread count what the step itself allocates (not ONNX Runtime's native arenas).
            var (seconds, allocated) = (0.0, 0L);
            for (var run = 0; run < 2; run++)
            {
                var copies = trajectories.Select(t => new Trajectory(t.State.ToArray(), t.Grid)).ToArray();
                var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
                var started = Stopwatch.GetTimestamp();
                Integrator.Run(denoiser, Samplers.Create(sampler), model.Process.Grouping, copies);
                seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                allocated = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
            }

            Console.WriteLine($"{label}, batch {batch,3}: {batch / seconds,8:F2} images/s, {seconds * 1000 / evaluations,7:F3} ms per evaluation, {seconds * 1000,8:F0} ms per batch of images, " +
                              $"{allocated / (double)evaluations / 1024,6:F1} KiB allocated per evaluation");
        }

        async Task<ImagesResponse> Images(object body)
        {
            var path = body is VariationsRequest ? "/v1/variations" : "/v1/samples";
            using var response = await http.PostAsJsonAsync(path, body, json);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
            return JsonSerializer.Deserialize<ImagesResponse>(text, json)!;
        }

        static float[] Floats(string base64)
        {
            var bytes = Convert.FromBase64String(base64);
            var values = new float[bytes.Length / sizeof(float)];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return values;
        }
    }
}
