#!/usr/bin/env python3
"""Runs the `tinyenc` command on converted golden models and checks what it
prints against bert.golden (PyTorch's values) and its error behaviour.

Usage (meson test runs it):
  cli_test.py TINYENC_BINARY GOLDEN_MODEL_DIR GOLDEN_FILE [MEMORY_LIMIT_BYTES]
With a memory limit (native builds without sanitizers), the hostile-input
cases run under it. Standard library only.
"""

import json
import os
import resource
import subprocess
import sys


def read_golden(path):
    arrays = {}
    with open(path) as golden:
        for line in golden:
            if line.startswith("#") or not line.strip():
                continue
            name, kind, _count, *values = line.split()
            arrays[name] = [float(v) if kind.startswith("f") else int(v) for v in values]
    return arrays


def run(binary, *args, memory_limit=None):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    return subprocess.run([binary, *args], capture_output=True, text=True,
                          preexec_fn=limit if memory_limit else None)


def max_rel_error(got, want):
    assert len(got) == len(want), (len(got), len(want))
    return max(abs(g - w) / max(1.0, abs(w)) for g, w in zip(got, want))


def main():
    binary, model_dir, golden_path = sys.argv[1:4]
    memory_limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    golden = read_golden(golden_path)
    model = f"{model_dir}/odd_heads-f32.gguf"
    failures = []

    def check(condition, what):
        if not condition:
            failures.append(what)

    inspect = run(binary, "inspect", model, "--json")
    check(inspect.returncode == 0, f"inspect exit {inspect.returncode}: {inspect.stderr}")
    info = json.loads(inspect.stdout)
    check(info["architecture"] == "bert" and len(info["layers"]) == 2, "inspect layers")
    check(info["arena_bytes"] > 0 and info["unplanned_bytes"] > info["arena_bytes"], "arena")
    check(any(t["name"] == "blk.1.ffn_down.weight" for t in info["tensors"]), "tensor list")
    width = info["layers"][-1]["width"]

    # The case's second sequence, alone: PyTorch's hidden states and pooled vector.
    lengths = golden["enc.odd_heads.lengths"]
    first, count = lengths[0], lengths[1]
    ids = golden["enc.odd_heads.ids"][first:first + count]
    types = golden["enc.odd_heads.type_ids"][first:first + count]
    id_list, type_list = ",".join(map(str, ids)), ",".join(map(str, types))
    hidden = run(binary, "embed", model, "--ids", id_list, "--type-ids", type_list,
                 "--pooling", "none", "--json")
    check(hidden.returncode == 0, f"embed none: {hidden.stderr}")
    out = json.loads(hidden.stdout)
    check(out["tokens"] == ids, "tokens echoed")
    want = golden["enc.odd_heads.hidden"][first * width:(first + count) * width]
    got = [v for row in out["hidden"] for v in row]
    error = max_rel_error(got, want)
    print(f"embed --pooling none: max rel error {error:.3g} over {len(got)} values")
    check(error <= 1e-4, f"hidden error {error}")

    mean = run(binary, "embed", model, "--ids", id_list, "--type-ids", type_list,
               "--pooling", "mean", "--json")
    got = json.loads(mean.stdout)["embedding"]
    want = golden["enc.odd_heads.mean"][width:2 * width]
    norm = sum(v * v for v in want) ** 0.5
    want = [v / norm for v in want]  # the model normalizes (sentence-transformers Normalize)
    error = max_rel_error(got, want)
    print(f"embed --pooling mean: max rel error {error:.3g}")
    check(error <= 1e-4, f"mean error {error}")

    # Text through the model's WordPiece tokenizer: [CLS] ... [SEP], the same
    # embedding as those ids, and similarity's matrix of cosines.
    text = run(binary, "embed", model, "--text", "hello world", "--json")
    check(text.returncode == 0, f"embed --text: {text.stderr}")
    by_text = json.loads(text.stdout)
    tokens = by_text["tokens"]
    with open(os.path.join(os.path.dirname(golden_path), "odd_heads", "vocab.txt")) as f:
        vocab = f.read().split("\n")
    check(len(tokens) >= 3 and vocab[tokens[0]] == "[CLS]" and vocab[tokens[-1]] == "[SEP]",
          f"embed --text tokens {tokens}")
    by_ids = json.loads(run(binary, "embed", model, "--ids", ",".join(map(str, tokens)),
                            "--json").stdout)
    check(by_ids["embedding"] == by_text["embedding"], "embed --text equals embed --ids")
    sentences = ["hello world", "the world", "hello world"]
    similarity = run(binary, "similarity", model, *sentences, "--json")
    check(similarity.returncode == 0, f"similarity: {similarity.stderr}")
    matrix = json.loads(similarity.stdout)["similarity"]
    check(len(matrix) == 3 and all(abs(matrix[i][i] - 1) < 1e-5 for i in range(3))
          and abs(matrix[0][2] - 1) < 1e-5 and matrix[0][1] == matrix[1][0],
          f"similarity matrix {matrix}")
    check(json.loads(similarity.stdout)["seconds_per_sentence"] > 0, "similarity time")
    print(f"similarity: {matrix[0]}")

    for args, what in [((model, "--ids", "1,999999"), "token out of range"),
                       ((model, "--ids", "1,x"), "bad id list"),
                       ((model,), "missing --ids"),
                       (("/nonexistent.gguf", "--ids", "1"), "missing file"),
                       ((model, "--ids", "1,2", "--type-ids", "0"), "type count")]:
        result = run(binary, "embed", *args)
        check(result.returncode != 0 and result.stderr.strip() and not result.stdout,
              f"{what}: exit {result.returncode}, stderr {result.stderr!r}")
        print(f"embed, {what}: exit {result.returncode}: {result.stderr.strip()}")
    for args, what in [((model,), "no sentence"), (("/nonexistent.gguf", "a"), "missing file"),
                       ((model, "a", "--bogus"), "unknown option")]:
        result = run(binary, "similarity", *args)
        check(result.returncode != 0 and result.stderr.strip() and not result.stdout,
              f"similarity, {what}: exit {result.returncode}, stderr {result.stderr!r}")

    # F7: a file whose context length is 2^32 - 1 made embed --text and
    # similarity allocate 4 bytes per position (16 GiB, then std::bad_alloc).
    source_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(golden_path)))))
    huge_context = os.path.join(source_root, "../shared/data/hostile/ctx_u32max_sinusoidal.gguf")
    if not os.path.exists(huge_context):
        print(f"skipped the F7 case: {huge_context} is absent")
    else:
        for args in (("embed", huge_context, "--text", "hello"),
                     ("similarity", huge_context, "hello", "world")):
            result = run(binary, *args, memory_limit=memory_limit)
            check(result.returncode == 0, f"{args[0]} on a 2^32 - 1 context: exit "
                  f"{result.returncode}, stderr {result.stderr!r}")
            print(f"{args[0]} on a 2^32 - 1 context: exit {result.returncode}")

    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
