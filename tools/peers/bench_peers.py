#!/usr/bin/python3
"""tinyenc beside ONNX Runtime on this machine: one markdown table.

Writes random-weight BERT-tiny (L2 H128 A2 FF512) and MiniLM-L6 (L6 H384 A12
FF1536) models once, as GGUF in every weight type make_random_bert.py writes
and as ONNX (fp32, and int8 in ONNX Runtime's dynamic-quantization form; see
onnx_bert.py) from the same float arrays; checks once that ONNX Runtime's fp32
hidden states match tinyenc's F32 ones; then times batch-1 encodes of 128 and
16 tokens, on 1 and on 2 threads (--threads), in interleaved rounds: every
round runs one batch of timed runs of every engine, type and thread count for
every case, so that what else the machine does falls on all alike. Each cell
is the median over all rounds' runs.

Both sides start from token ids (embedding lookup, position and type rows,
and mean pooling included in both). tools/bench-peers.sh installs what this
needs and runs it.
"""

import argparse
import glob
import hashlib
import os
import shutil
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [os.path.join(ROOT, "models"), HERE]

from tinyenc_convert.encoder_gguf import OUTTYPES  # noqa: E402
from tinyenc_convert.random_bert import random_model  # noqa: E402

# name, layers, hidden, heads, ff
SHAPES = [("BERT-tiny", 2, 128, 2, 512), ("MiniLM-L6", 6, 384, 12, 1536)]
VOCAB, CONTEXT = 30522, 512
TYPE_ORDER = ["f32", "f16", "q8_0", "q4_0", "i8"]
# Worst |ORT fp32 - tinyenc F32| over the hidden states (layer-normed, values
# of order 1) that still means the same function: float rounding differs
# (summation order, erf and exp approximations) by about 1e-5.
MAX_FP32_DIFF = 1e-3


class Server:
    """A `bench_encoder --serve` or ort_server.mjs process."""

    def __init__(self, command, count):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)
        self.target, self.ok, self.errors = None, [False] * count, {}
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"{command[0]} exited before it was ready")
            words = line.split(maxsplit=3)
            if words[0] == "ready":
                break
            if words[0] == "target":
                self.target = line.split(maxsplit=1)[1].strip()
            elif words[0] == "model":
                self.ok[int(words[1])] = words[2] == "ok"
                if words[2] != "ok":
                    self.errors[int(words[1])] = words[3].strip() if len(words) > 3 else ""

    def ask(self, line):
        self.process.stdin.write(line + "\n")
        answer = self.process.stdout.readline()
        if not answer or answer.startswith("error"):
            raise RuntimeError(f"{line!r}: {answer.strip() or 'no answer'}")
        return answer.split()

    def time(self, index, tokens, runs):
        return [float(v) for v in self.ask(f"time {index} {tokens} {runs}")[1:]]

    def hidden(self, index, tokens):
        words = self.ask(f"hidden {index} {tokens}")
        return int(words[1]), int(words[2]), [float(v) for v in words[3:]]

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def cpu_name():
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    name = fields.get("model name") or fields.get("Hardware") or platform.processor() or "?"
    flags = set(fields.get("flags", "").split())
    if flags:
        have = [f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni") if f in flags]
        name += f" ({', '.join(have) or 'no AVX2'})"
    elif fields.get("Features"):
        have = [f for f in ("asimd", "asimddp", "sve", "i8mm") if f in fields["Features"].split()]
        name += f" ({', '.join(have)})"
    return f"{name}, {platform.machine()}, {os.cpu_count()} logical CPUs"


def make_models(parent, seed, outtypes, tokens):
    """(shape name, outtype) -> GGUF path and (shape name, "ort-fp32" or
    "ort-int8", tokens) -> ONNX path, writing what is missing into a folder
    of `parent` named by a hash of the code that writes them (older folders
    are removed: a changed quantizer makes new files)."""
    import onnx
    import onnx_bert
    sources = sorted(glob.glob(os.path.join(ROOT, "models", "tinyenc_convert", "*.py"))
                     + [os.path.join(HERE, "onnx_bert.py")])
    digest = hashlib.sha256()
    for source in sources:
        with open(source, "rb") as f:
            digest.update(f.read())
    directory = os.path.join(parent, digest.hexdigest()[:12])
    if os.path.isdir(parent):
        for old in os.listdir(parent):
            if os.path.join(parent, old) != directory:
                shutil.rmtree(os.path.join(parent, old), ignore_errors=True)
    os.makedirs(directory, exist_ok=True)
    paths = {}
    for name, layers, hidden, heads, ff in SHAPES:
        stem = os.path.join(directory, f"{name.lower()}-s{seed}")
        for outtype in outtypes:
            path = paths[name, outtype] = f"{stem}-{outtype}.gguf"
            if not os.path.exists(path):
                subprocess.run([sys.executable, os.path.join(ROOT, "models", "make_random_bert.py"),
                                "--layers", str(layers), "--hidden", str(hidden), "--heads",
                                str(heads), "--ff", str(ff), "--vocab", str(VOCAB), "--context",
                                str(CONTEXT), "--seed", str(seed), "--outtype", outtype,
                                "-o", path + ".tmp"], check=True, stdout=subprocess.DEVNULL)
                os.replace(path + ".tmp", path)
        model = None
        for kind, t in ((kind, t) for kind in ("ort-fp32", "ort-int8") for t in tokens):
            path = paths[name, kind, t] = f"{stem}-{kind}-t{t}.onnx"
            if not os.path.exists(path):
                if model is None:
                    model = random_model(layers, hidden, heads, ff, VOCAB, CONTEXT, seed)
                onnx.save(onnx_bert.build(*model, int8=kind == "ort-int8", tokens=t),
                          path + ".tmp")
                os.replace(path + ".tmp", path)
    path = paths["floor"] = os.path.join(directory, "call-floor.onnx")
    if not os.path.exists(path):
        onnx.save(onnx_bert.build_floor(min(tokens)), path + ".tmp")
        os.replace(path + ".tmp", path)
    return paths


def max_abs_diff(a, b):
    if (a[0], a[1]) != (b[0], b[1]):
        return float("inf")
    return max(abs(x - y) for x, y in zip(a[2], b[2]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="tinyenc build directory (tools/bench_encoder; models go to "
                             "BUILD/peer-models/<hash of the writers' code>)")
    parser.add_argument("--node-modules", default=os.path.join(ROOT, ".cache", "ort-node",
                                                               "node_modules"))
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--budget-ms", type=float, default=50.0,
                        help="time per batch of runs of one engine on one case (at least one run)")
    parser.add_argument("--tokens", default="128,16")
    parser.add_argument("--threads", default="1,2",
                        help="thread counts: tinyenc's pool, ONNX Runtime's intraOpNumThreads")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    tokens = [int(t) for t in args.tokens.split(",")]
    thread_counts = [int(t) for t in args.threads.split(",")]
    outtypes = [t for t in TYPE_ORDER if t in OUTTYPES] + sorted(set(OUTTYPES) - set(TYPE_ORDER))

    start = time.monotonic()
    paths = make_models(os.path.join(args.build, "peer-models"), args.seed, outtypes, tokens)
    tinyenc_models = [(shape, t) for shape, *_ in SHAPES for t in outtypes]
    ort_models = [(shape, k, t) for shape, *_ in SHAPES for k in ("ort-fp32", "ort-int8")
                  for t in tokens]
    servers = {}  # threads -> (tinyenc server, ORT server)
    for threads in thread_counts:
        servers[threads] = (
            Server([os.path.join(args.build, "tools", "bench_encoder"), "--serve", "--threads",
                    str(threads)] + [paths[m] for m in tinyenc_models], len(tinyenc_models)),
            Server(["node", os.path.join(HERE, "ort_server.mjs"), args.node_modules, str(VOCAB),
                    str(threads)] + [paths[m] for m in ort_models] + [paths["floor"]],
                   len(ort_models) + 1))
    tinyenc, ort = servers[thread_counts[0]]
    notes = []
    for server, models in ((tinyenc, tinyenc_models), (ort, ort_models)):
        for i, error in server.errors.items():
            notes.append(f"{' '.join(map(str, models[i]))} left out: {error}")
        if not all(server.ok[i] for i, m in enumerate(models) if m[1] in ("f32", "ort-fp32")):
            sys.exit(f"bench_peers: a float model failed to load: {'; '.join(notes)}")

    # Rows: (label, threads, server, {(shape, tokens): model index}).
    cases = [(shape, t) for shape, *_ in SHAPES for t in tokens]
    rows = []
    for threads in thread_counts:
        tinyenc_threaded, ort_threaded = servers[threads]
        for outtype in outtypes:
            index = {(s, t): tinyenc_models.index((s, outtype)) for s, t in cases}
            if all(tinyenc.ok[i] for i in index.values()):
                rows.append((f"tinyenc {outtype.upper()}", threads, tinyenc_threaded, index))
        for kind, label in (("ort-fp32", "ORT fp32"), ("ort-int8", "ORT int8")):
            index = {(s, t): ort_models.index((s, kind, t)) for s, t in cases}
            if all(ort.ok[i] for i in index.values()):
                rows.append((label, threads, ort_threaded, index))
    if rows[-1][0] != "ORT int8":
        sys.exit(f"bench_peers: the ORT int8 model failed to load: {'; '.join(notes)}")

    # The same function: ORT fp32 against tinyenc F32, and what quantization
    # costs; tinyenc on more threads must give the same bits.
    checks = []
    for shape, t in cases:
        reference = tinyenc.hidden(rows[0][3][shape, t], t)
        single = {label: server.hidden(index[shape, t], t)
                  for label, threads, server, index in rows if threads == thread_counts[0]}
        parts = []
        for label, threads, server, index in rows[1:]:
            hidden = server.hidden(index[shape, t], t)
            if threads != thread_counts[0]:
                if label.startswith("tinyenc") and hidden != single[label]:
                    sys.exit(f"bench_peers: {shape}: {label} on {threads} threads gives other "
                             f"outputs than on {thread_counts[0]}")
                continue
            diff = max_abs_diff(reference, hidden)
            parts.append(f"{label.replace('tinyenc ', '')} {diff:.2e}" if label == "ORT fp32"
                         else f"{label.replace('tinyenc ', '')} {diff:.3f}")
            if label == "ORT fp32" and not diff <= MAX_FP32_DIFF:
                sys.exit(f"bench_peers: {shape}: ORT fp32 and tinyenc F32 hidden states differ "
                         f"by {diff:.3g} (> {MAX_FP32_DIFF}): not the same model")
        checks.append(f"check, {shape} {t} tokens, max |hidden - tinyenc F32 hidden|: "
                      + ", ".join(parts))

    # Runs per batch from three timed runs of each (after its untimed one).
    runs = {}
    for label, threads, server, index in rows:
        for case in cases:
            estimate = statistics.median(server.time(index[case], case[1], 3))
            runs[(label, threads) + case] = max(1, min(1000,
                                                       round(args.budget_ms / max(estimate, 1e-3))))
    samples = {key: [] for key in runs}
    for r in range(args.rounds):
        for case in cases:
            for k in range(len(rows)):  # a different engine first each round
                label, threads, server, index = rows[(k + r) % len(rows)]
                key = (label, threads) + case
                samples[key] += server.time(index[case], case[1], runs[key])
    floor = statistics.median(ort.time(len(ort_models), min(tokens), 500)) if ort.ok[-1] else None
    for pair in servers.values():
        for server in pair:
            server.close()

    medians = {key: statistics.median(v) for key, v in samples.items()}
    print(f"tinyenc and ONNX Runtime, measured side by side on {cpu_name()}")
    print(f"tinyenc SIMD target: {tinyenc.target}; ONNX Runtime: {ort.target} from npm, CPU "
          "execution provider, graph optimization all, sequential, one ONNX file per length; "
          f"tinyenc's pool and ONNX Runtime's intra-op threads: {args.threads}; batch 1")
    print(f"Random weights (seed {args.seed}), token ids in for both (embedding lookup and mean "
          f"pooling included); {args.rounds} interleaved rounds; median ms per encode "
          "(x ORT int8 = ratio to ORT int8's time on as many threads, lower is faster)")
    print()
    header = [f"{shape} {t} tok" for shape, t in cases]
    print("| engine, weights | threads | " + " | ".join(header) + " |")
    print("|---|---|" + "---|" * len(cases))
    for label, threads, _, _ in rows:
        cells = []
        for shape, t in cases:
            ms = medians[label, threads, shape, t]
            cell = f"{ms:.3f}" if ms < 10 else f"{ms:.2f}"
            if label.startswith("tinyenc"):
                cell += f" ({ms / medians['ORT int8', threads, shape, t]:.2f}x)"
            cells.append(cell)
        print(f"| {label} | {threads} | " + " | ".join(cells) + " |")
    if len(thread_counts) > 1:
        first, *more = thread_counts
        print()
        print(f"time on N threads / time on {first} (lower is better)")
        print()
        print("| engine, weights | threads | " + " | ".join(header) + " |")
        print("|---|---|" + "---|" * len(cases))
        for label, threads, _, _ in rows:
            if threads == first:
                continue
            cells = [f"{medians[label, threads, shape, t] / medians[label, first, shape, t]:.2f}"
                     for shape, t in cases]
            print(f"| {label} | {threads} | " + " | ".join(cells) + " |")
    print()
    print("runs per cell: " + ", ".join(
        f"{shape} {t}: {min(len(samples[l, n, shape, t]) for l, n, _, _ in rows)}-"
        f"{max(len(samples[l, n, shape, t]) for l, n, _, _ in rows)}" for shape, t in cases))
    if floor is not None:
        print(f"ORT per-call floor in this harness (a one-Cast model through the same "
              f"session.run): {floor:.4f} ms, included in the ORT figures")
    for line in checks + notes:
        print(line)
    print(f"({time.monotonic() - start:.0f} s)")


if __name__ == "__main__":
    main()
