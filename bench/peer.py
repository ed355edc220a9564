#!/usr/bin/python3
"""The same ONNX weights in PyTorch eager and TorchScript, against the C# engine (ONNX Runtime), in one run.

A measuring tool, not part of the product. It
  1. reads the model's ONNX graph with the onnx package and runs it node by node with torch ops (eager), and as a
     traced, frozen TorchScript graph of the same module (one trace per batch size);
  2. checks both against ONNX Runtime's output for the same inputs (run by gdm-bench --parity-input) within 1e-4;
  3. times the network alone at batch 1 and max batch, interleaved: torch eager, TorchScript, then the C# engine
     (gdm-bench --parts limit --json), round after round; medians over rounds, with the load they were taken under;
  4. times one training step at --train-batch (forward, backward, gradient clip, AdamW, EMA) of the same weights in
     torch eager against the C# trainer on the same network (gdm-train benchmark), interleaved the same way.

Needs Debian's python3-torch, python3-onnx and python3-numpy; installs them with apt-get when missing.

    python3 bench/peer.py [--models models] [--model NAME] [--max-batch 16] [--threads 2] [--rounds 3] \
        [--seconds 1.5] [--json FILE]

Run it from the repository root after `dotnet build bench/Gdm.Bench -c Release` and `dotnet build Gdm.Training -c Release`.
"""
import argparse
import copy
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

DEBIAN_PYTHON = "/usr/bin/python3"
PACKAGES = ["python3-torch", "python3-onnx", "python3-numpy"]


def ensure_packages():
    """Imports torch, onnx and numpy, installing Debian's packages (and re-running under Debian's python) if missing."""
    try:
        import numpy  # noqa: F401
        import onnx  # noqa: F401
        import torch  # noqa: F401
        return
    except ImportError:
        pass
    if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) and os.path.exists(DEBIAN_PYTHON):
        probe = subprocess.run([DEBIAN_PYTHON, "-c", "import torch, onnx, numpy"], capture_output=True)
        if probe.returncode != 0:
            install()
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
    install()


def install():
    print(f"peer: installing {' '.join(PACKAGES)} with apt-get", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q"] + PACKAGES, check=True)


ensure_packages()

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from onnx import numpy_helper  # noqa: E402

# Tracing bakes shapes in (one trace per batch size), which is what the tracer warns about.
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)


class OnnxModule(torch.nn.Module):
    """An ONNX graph run node by node with torch ops: the ONNX weights as they are, no other source of truth."""

    def __init__(self, model):
        super().__init__()
        graph = model.graph
        self.constants = {}
        self.weights = torch.nn.ParameterList()
        self.weight_index = {}
        for tensor in graph.initializer:
            value = numpy_helper.to_array(tensor)
            if value.dtype == np.int64:
                self.constants[tensor.name] = [int(v) for v in value.reshape(-1)]
            else:
                self.weight_index[tensor.name] = len(self.weights)
                self.weights.append(torch.nn.Parameter(torch.from_numpy(value.copy()), requires_grad=False))
        self.nodes = [(n.op_type, list(n.input), list(n.output), {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute})
                      for n in graph.node]
        self.inputs = [i.name for i in graph.input if i.name not in self.weight_index and i.name not in self.constants]
        self.output = graph.output[0].name

    def forward(self, x, t):
        values = dict(zip(self.inputs, [x, t]))
        for name, index in self.weight_index.items():
            values[name] = self.weights[index]
        for op, inputs, outputs, attributes in self.nodes:
            results = self.run(op, inputs, attributes, values)
            for name, value in zip(outputs, results if isinstance(results, (list, tuple)) else [results]):
                values[name] = value
        return values[self.output]

    def ints(self, name, values):
        if name in self.constants:
            return self.constants[name]
        return [int(v) for v in values[name]]

    def run(self, op, inputs, a, values):
        v = [values[i] if i in values else None for i in inputs]
        if op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            return F.conv2d(v[0], v[1], v[2] if len(v) > 2 else None, stride=tuple(a.get("strides", [1, 1])),
                            padding=(pads[0], pads[1]), dilation=tuple(a.get("dilations", [1, 1])), groups=a.get("group", 1))
        if op == "Gemm":
            left = v[0].t() if a.get("transA", 0) else v[0]
            right = v[1].t() if a.get("transB", 0) else v[1]
            return torch.addmm(v[2], left, right, beta=a.get("beta", 1.0), alpha=a.get("alpha", 1.0))
        if op == "MatMul":
            return torch.matmul(v[0], v[1])
        if op == "Add":
            return v[0] + v[1]
        if op == "Sub":
            return v[0] - v[1]
        if op == "Mul":
            return v[0] * v[1]
        if op == "Div":
            return v[0] / v[1]
        if op == "Sqrt":
            return torch.sqrt(v[0])
        if op == "Sigmoid":
            return torch.sigmoid(v[0])
        if op == "Sin":
            return torch.sin(v[0])
        if op == "Cos":
            return torch.cos(v[0])
        if op == "Clip":
            return torch.clamp(v[0], v[1], v[2])
        if op == "Softmax":
            return torch.softmax(v[0], dim=a.get("axis", -1))
        if op == "Identity":
            return v[0]
        if op == "Unsqueeze":
            result = v[0]
            for axis in sorted(self.ints(inputs[1], values)):
                result = result.unsqueeze(axis)
            return result
        if op == "Concat":
            return torch.cat(v, dim=a["axis"])
        if op == "Shape":
            return [list(v[0].shape)]  # one output: the shape as a list
        if op == "Reshape":
            shape = self.ints(inputs[1], values) if inputs[1] in self.constants else list(values[inputs[1]])
            shape = [v[0].shape[i] if d == 0 else d for i, d in enumerate(shape)]
            return v[0].reshape(shape)
        if op == "InstanceNormalization":
            return F.instance_norm(v[0], weight=v[1], bias=v[2], eps=a.get("epsilon", 1e-5))
        if op == "BatchNormalization":
            return F.batch_norm(v[0], v[3].detach(), v[4].detach(), weight=v[1], bias=v[2], training=False, eps=a.get("epsilon", 1e-5))
        if op == "ReduceMean":
            return v[0].mean(dim=self.ints(inputs[1], values), keepdim=bool(a.get("keepdims", 1)))
        if op == "Split":
            return torch.split(v[0], self.ints(inputs[1], values), dim=a.get("axis", 0))
        if op == "Transpose":
            return v[0].permute(a["perm"])
        if op == "Resize":
            scales = v[2].tolist()
            if a.get("mode", b"nearest") not in (b"nearest", "nearest") or scales[:2] != [1.0, 1.0]:
                raise NotImplementedError(f"Resize {a}")
            return F.interpolate(v[0], scale_factor=(scales[2], scales[3]), mode="nearest")
        raise NotImplementedError(f"peer.py has no torch rule for ONNX op {op}")


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class OtherCores:
    """Cores used by other processes since construction: /proc/stat busy time less this process's CPU time."""

    def __init__(self):
        self.busy, self.own, self.wall = self.busy_ticks(), time.process_time(), time.monotonic()

    @staticmethod
    def busy_ticks():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]

    def cores(self):
        wall = time.monotonic() - self.wall
        used = (self.busy_ticks() - self.busy) / os.sysconf("SC_CLK_TCK") - (time.process_time() - self.own)
        return max(0.0, used / wall)


def time_network(run, batch, shape, seconds):
    """Evaluations/s of run(x, t) back to back at one batch size (after one warm-up call), and others' cores meanwhile."""
    generator = torch.Generator().manual_seed(batch)
    x = torch.rand((batch,) + shape, generator=generator) * 2 - 1
    t = (torch.arange(batch, dtype=torch.float32) + 0.5) / batch
    with torch.no_grad():
        run(x, t)
        others = OtherCores()
        started, calls = time.perf_counter(), 0
        while calls < 3 or time.perf_counter() - started < seconds:
            run(x, t)
            calls += 1
        elapsed = time.perf_counter() - started
    return calls * batch / elapsed, others.cores()


def time_training(module, batch, shape, seconds):
    """Seconds per training step of the graph's weights: forward, MSE backward, clip at norm 1, AdamW, EMA update."""
    trained = copy.deepcopy(module).train()
    weights = list(trained.weights)
    for weight in weights:
        weight.requires_grad_(True)
    average = [w.detach().clone() for w in weights]
    optimiser = torch.optim.AdamW(weights, lr=5e-4, weight_decay=1e-4)
    generator = torch.Generator().manual_seed(batch)
    x = torch.rand((batch,) + shape, generator=generator) * 2 - 1
    t = torch.rand((batch,), generator=generator)
    target = torch.randn((batch,) + shape, generator=generator)

    def step():
        optimiser.zero_grad(set_to_none=True)
        loss = (trained(x, t) - target).square().mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(weights, 1.0)
        optimiser.step()
        with torch.no_grad():
            for kept, weight in zip(average, weights):
                kept.lerp_(weight, 1 - 0.999)

    step()
    others = OtherCores()
    started, steps = time.perf_counter(), 0
    while steps < 3 or time.perf_counter() - started < seconds:
        step()
        steps += 1
    return (time.perf_counter() - started) / steps, others.cores()


def trainer_step(args, manifest, batch):
    """Seconds per step of the C# trainer (gdm-train benchmark) on the model's network, grouping and causal-input."""
    trainer = os.path.join("Gdm.Training", "bin", "Release", "net10.0", "linux-x64", "gdm-train.dll")
    if not os.path.exists(trainer):
        sys.exit(f"peer: {trainer} not found: run `dotnet build Gdm.Training -c Release` from the repository root first")
    architecture = manifest["network"]["architecture"]
    match = re.fullmatch(r"unet base (\d+), mults ([\d,]+), (\d+) res blocks/level, attention at ([\w,]+), groupnorm (\d+)", architecture)
    if not match:
        sys.exit(f"peer: cannot read the network's architecture '{architecture}' from the manifest")
    width, mults, blocks, attention, groups = match.groups()
    image = manifest["image"]
    command = ["dotnet", trainer, "benchmark", "--data", "fashion-mnist", "--grouping", manifest["grouping"],
               "--image-size", str(image["height"]), "--channels", str(image["channels"]),
               "--width", width, "--mults", mults, "--res-blocks", blocks, "--attention", attention, "--norm-groups", groups,
               "--batch", str(batch), "--threads", str(args.threads), "--measure", str(args.train_steps)]
    if not manifest.get("causalInput", True):
        command.append("--no-causal-input")
    completed = subprocess.run(command, capture_output=True, text=True)
    found = re.search(r": ([\d.]+) s/step", completed.stdout)
    if completed.returncode != 0 or not found:
        sys.exit(f"peer: gdm-train benchmark failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    return float(found.group(1)), completed.stdout.strip()


def engine(args, extra):
    bench = os.path.join("bench", "Gdm.Bench", "bin", "Release", "net10.0", "gdm-bench.dll")
    if not os.path.exists(bench):
        sys.exit(f"peer: {bench} not found: run `dotnet build bench/Gdm.Bench -c Release` from the repository root first")
    command = ["dotnet", bench, "--models", args.models, "--max-batch", str(args.max_batch), "--threads", str(args.threads)] + extra
    # The model the peer runs in torch: gdm-bench serves the current version of that name too.
    command += ["--model", args.model_name]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"peer: gdm-bench failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def model_directory(args):
    """The folder gdm-bench measures too: the current (highest) version of the model named --model, else of the first
    model name in the folder."""
    manifests = {}
    for d in sorted(os.listdir(args.models)):
        path = os.path.join(args.models, d, "manifest.json")
        if os.path.exists(path):
            with open(path) as f:
                manifests[d] = json.load(f)
    if not manifests:
        sys.exit(f"peer: no model folder with manifest.json in {args.models}")
    name = args.model or sorted(m["name"] for m in manifests.values())[0]
    versions = [(m.get("version", 1), d) for d, m in manifests.items() if m["name"] == name]
    if not versions:
        sys.exit(f"peer: no model named {name} in {args.models} (it has {', '.join(sorted(set(m['name'] for m in manifests.values())))})")
    return os.path.join(args.models, max(versions)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="models")
    parser.add_argument("--model")
    parser.add_argument("--max-batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--train-batch", type=int, default=32, help="images per training step timed (0: no training step)")
    parser.add_argument("--train-steps", type=int, default=3, help="training steps the C# trainer times per round")
    parser.add_argument("--json")
    args = parser.parse_args()

    load_at_start = load_average()
    torch.set_num_threads(args.threads)
    directory = model_directory(args)
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    args.model_name = manifest["name"]
    image = manifest["image"]
    shape = (image["channels"], image["height"], image["width"])
    onnx_path = os.path.join(directory, manifest["network"]["onnxFile"])
    module = OnnxModule(onnx.load(onnx_path)).eval()
    print(f"peer: {manifest['name']} ({onnx_path}), torch {torch.__version__} on {torch.get_num_threads()} threads "
          f"({torch.backends.mkldnn.is_available() and 'oneDNN' or 'no oneDNN'}), load average at start {load_at_start:.2f}"
          + (f"  WARNING: above the {args.threads} threads measured on: the machine is busy, every figure below is distorted"
             if load_at_start > args.threads else ""))

    batches = sorted({1, args.max_batch})
    scripted = {}
    with torch.no_grad():
        for batch in batches:
            example = (torch.zeros((batch,) + shape), torch.full((batch,), 0.5))
            traced = torch.jit.trace(module, example, check_trace=False)
            scripted[batch] = torch.jit.optimize_for_inference(torch.jit.freeze(traced.eval()))

    # Parity against ONNX Runtime: a batch of 7 random inputs through gdm-bench's network, then through both torch forms.
    parity_batch = 7
    generator = torch.Generator().manual_seed(20_231_001)
    x = torch.rand((parity_batch,) + shape, generator=generator) * 4 - 2
    t = torch.rand((parity_batch,), generator=generator)
    with tempfile.TemporaryDirectory() as scratch:
        inputs, outputs = os.path.join(scratch, "in.bin"), os.path.join(scratch, "out.bin")
        np.concatenate([x.numpy().reshape(-1), t.numpy()]).astype("<f4").tofile(inputs)
        engine(args, ["--parity-input", inputs, "--parity-output", outputs])
        reference = torch.from_numpy(np.fromfile(outputs, dtype="<f4").reshape((parity_batch,) + shape))
    with torch.no_grad():
        eager_difference = (module(x, t) - reference).abs().max().item()
        traced = torch.jit.freeze(torch.jit.trace(module, (x, t), check_trace=False).eval())
        script_difference = (traced(x, t) - reference).abs().max().item()
    print(f"parity vs ONNX Runtime (batch {parity_batch}, x in [-2, 2]): max |eager - ORT| = {eager_difference:.2e}, "
          f"max |TorchScript - ORT| = {script_difference:.2e} ({'within' if max(eager_difference, script_difference) <= 1e-4 else 'ABOVE'} 1e-4)")

    # Timing, interleaved round by round.
    figures = {(kind, b): [] for kind in ("eager", "torchscript", "onnxruntime") for b in batches}
    training = {"torch": [], "trainer": []}
    trainer_line = None
    others = []
    with tempfile.TemporaryDirectory() as scratch:
        report = os.path.join(scratch, "engine.json")
        for round_ in range(args.rounds):
            for batch in batches:
                rate, busy = time_network(module, batch, shape, args.seconds)
                figures[("eager", batch)].append(rate)
                others.append(busy)
                rate, busy = time_network(scripted[batch], batch, shape, args.seconds)
                figures[("torchscript", batch)].append(rate)
                others.append(busy)
            engine(args, ["--parts", "limit", "--limit-seconds", str(args.seconds), "--json", report])
            with open(report) as f:
                measured = json.load(f)
            figures[("onnxruntime", 1)].append(measured["batch1"]["evaluationsPerSecond"])
            figures[("onnxruntime", args.max_batch)].append(measured["maxBatch"]["evaluationsPerSecond"])
            others += [measured["batch1"]["otherCores"], measured["maxBatch"]["otherCores"]]
            peak = measured["peakGflops"]
            flops = 2.0 * measured["multiplyAddsPerEvaluation"]
            if args.train_batch > 0:
                seconds, busy = time_training(module, args.train_batch, shape, args.seconds * 4)
                training["torch"].append(seconds)
                others.append(busy)
                seconds, described = trainer_step(args, manifest, args.train_batch)
                training["trainer"].append(seconds)
                trainer_line = described
            print(f"round {round_ + 1}/{args.rounds}: " + ", ".join(
                f"{kind} b{b} {values[-1]:.1f}/s" for (kind, b), values in figures.items())
                + "".join(f", {kind} training step {values[-1]:.3f} s" for kind, values in training.items() if values), flush=True)

    load_at_end = load_average()
    busiest = max(others)
    medians = {key: statistics.median(values) for key, values in figures.items()}
    print()
    print(f"network alone, evaluations/s (medians of {args.rounds} interleaved rounds, {args.threads} threads; "
          f"fp32 peak {peak:.1f} GFLOP/s, {flops / 1e9:.3f} GFLOP per evaluation):")
    for batch in batches:
        ort = medians[("onnxruntime", batch)]
        line = f"  batch {batch:3}: ONNX Runtime (C# engine) {ort:7.1f} ({ort * flops / 1e9 / peak:4.0%} of peak)"
        for kind in ("eager", "torchscript"):
            rate = medians[(kind, batch)]
            line += f", torch {kind} {rate:7.1f} ({rate * flops / 1e9 / peak:4.0%}; ORT {ort / rate:4.1f}x faster)"
        print(line)
    if args.train_batch > 0:
        torch_step, trainer_step_seconds = (statistics.median(training[k]) for k in ("torch", "trainer"))
        print(f"training step, batch {args.train_batch} (medians of {args.rounds}): torch eager {torch_step:.3f} s "
              f"(forward, backward, clip, AdamW, EMA on the graph's weights), C# trainer {trainer_step_seconds:.3f} s "
              f"(the same network with the GDM loss; {trainer_line}): the trainer takes {trainer_step_seconds / torch_step:.2f}x torch's time")
    quiet = load_at_start <= args.threads and busiest <= 0.25
    print(f"load average at start {load_at_start:.2f}, at end {load_at_end:.2f}; other processes used up to {busiest:.2f} cores during a figure")
    print("the machine was quiet enough: figures stand" if quiet else
          "WARNING: the machine was busy: these figures and ratios are distorted; measure on a quiet machine")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "model": manifest["name"], "torch": torch.__version__, "threads": args.threads, "rounds": args.rounds,
                "peakGflops": peak, "flopsPerEvaluation": flops,
                "parity": {"batch": parity_batch, "eagerMaxAbs": eager_difference, "torchscriptMaxAbs": script_difference},
                "evaluationsPerSecond": {f"{kind}@{b}": value for (kind, b), value in medians.items()},
                "trainingStepSeconds": ({"batch": args.train_batch, "torchEager": statistics.median(training["torch"]),
                                         "trainer": statistics.median(training["trainer"])} if args.train_batch > 0 else None),
                "loadAverageAtStart": load_at_start, "loadAverageAtEnd": load_at_end, "maxOtherCores": busiest, "busy": not quiet,
            }, f, indent=2)
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
