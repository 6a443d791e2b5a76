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
import re
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

def source_root_of(golden_path):
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(golden_path)))))


def check_usage_and_errors(binary, model, info, golden_path, check):
    """Help and version as a new user asks for them, errors that name the
    path once, options told from sentences, and one token-type count."""
    for flag in ("--help", "-h", "help"):
        result = run(binary, flag)
        check(result.returncode == 0 and result.stdout.startswith("usage: tinyenc")
              and not result.stderr, f"tinyenc {flag}: exit {result.returncode}, "
              f"stdout {result.stdout[:60]!r}, stderr {result.stderr!r}")
    with open(os.path.join(source_root_of(golden_path), "meson.build")) as f:
        version = re.search(r"version: '([^']+)'", f.read()).group(1)
    result = run(binary, "--version")
    check(result.returncode == 0 and result.stdout == f"tinyenc {version}\n",
          f"--version: exit {result.returncode}, {result.stdout!r}, want tinyenc {version}")
    for command in ("bogus", "--bogus"):
        result = run(binary, command)
        check(result.returncode == 2 and "unknown command" in result.stderr and not result.stdout,
              f"tinyenc {command}: exit {result.returncode}, stderr {result.stderr!r}")

    missing = "/nonexistent-dir/x.gguf"
    for args in (("inspect", missing), ("embed", missing, "--ids", "1"),
                 ("similarity", missing, "a")):
        result = run(binary, *args)
        check(result.returncode == 1 and result.stderr.count(missing) == 1,
              f"{args[0]} on a missing file names it once: {result.stderr!r}")

    # '-x' is an unknown option, not a sentence; after '--' it is a sentence.
    result = run(binary, "similarity", model, "-x", "hello")
    check(result.returncode == 2 and "unknown option '-x'" in result.stderr
          and not result.stdout, f"similarity -x: exit {result.returncode}, {result.stderr!r}")
    result = run(binary, "similarity", model, "--json", "--", "-x", "hello")
    check(result.returncode == 0 and len(json.loads(result.stdout or "{}").get("tokens", [])) == 2,
          f"similarity -- -x: exit {result.returncode}, {result.stderr!r}")

    # inspect's token-type count is the one the type-id error names.
    types = info["token_type_count"]
    result = run(binary, "embed", model, "--ids", "1,2", "--type-ids", f"0,{types}")
    check(result.returncode == 1 and f"the model has {types} type" in result.stderr,
          f"type id {types} with inspect's count {types}: {result.stderr!r}")
    result = run(binary, "embed", model, "--ids", "1,2", "--type-ids", f"0,{types - 1}")
    check(result.returncode == 0, f"type id {types - 1}: {result.stderr!r}")
    text = run(binary, "inspect", model).stdout
    check(f"token types {types}" in text, f"inspect's text names {types} token types")


def check_long_text(binary, model, mean_model, info, check):
    """Text past the context is cut to it with a warning, --max-tokens cuts
    shorter, and similarity abbreviates what it echoes."""
    context = info["context_length"]
    long_text = "hello world " * (2 * context)
    result = run(binary, "embed", model, "--text", long_text, "--json")
    tokens = json.loads(result.stdout)["tokens"] if result.returncode == 0 else []
    check(len(tokens) == context and "warning" in result.stderr
          and f"kept the first {context}" in result.stderr and len(result.stderr) < 300,
          f"embed of {len(long_text)} bytes: {len(tokens)} tokens, stderr {result.stderr!r}")
    result = run(binary, "embed", model, "--text", long_text, "--max-tokens", "7", "--json")
    tokens = json.loads(result.stdout)["tokens"] if result.returncode == 0 else []
    check(len(tokens) == 7 and "kept the first 7" in result.stderr,
          f"--max-tokens 7: {len(tokens)} tokens, stderr {result.stderr!r}")
    result = run(binary, "embed", model, "--text", "hello world", "--max-tokens", "7")
    check(result.returncode == 0 and not result.stderr, f"short text warned: {result.stderr!r}")
    for bad in ("1", "x", "-3", str(context + 1)):
        result = run(binary, "embed", model, "--text", "hello", "--max-tokens", bad)
        check(result.returncode != 0 and "--max-tokens" in result.stderr and not result.stdout,
              f"--max-tokens {bad}: exit {result.returncode}, {result.stderr!r}")
    result = run(binary, "similarity", mean_model, long_text, "hello", "--max-tokens", "9")
    lines = result.stdout.splitlines()
    check(result.returncode == 0 and len(lines) > 2 and len(lines[0]) < 120
          and "(9 tokens)" in lines[0] and f"({len(long_text)} bytes)" in lines[0]
          and result.stderr.count("warning") == 1,
          f"similarity echo of a long sentence: {lines[:1]}, stderr {result.stderr!r}")


def check_pairs_and_heads(binary, model_dir, golden_path, golden, check):
    """score and embed --pair on the `cross` case (a one-label cross-encoder)
    and embed's token logits on `token_cls`, against PyTorch's values. The
    cross case's sequences are [CLS] a [SEP] b [SEP] of whole vocabulary
    words, so the words as text tokenize back to PyTorch's ids."""
    cross = f"{model_dir}/cross-f32.gguf"
    with open(os.path.join(os.path.dirname(golden_path), "cross", "vocab.txt")) as f:
        vocab = f.read().split("\n")
    lengths, ids = golden["enc.cross.lengths"], golden["enc.cross.ids"]
    types, logits = golden["enc.cross.type_ids"], golden["enc.cross.logits"]
    offset, worst = 0, 0.0
    for b, length in enumerate(lengths):
        seq, seq_types = ids[offset:offset + length], types[offset:offset + length]
        offset += length
        sep = seq.index(3)  # [SEP]
        query = " ".join(vocab[i] for i in seq[1:sep])
        passage = " ".join(vocab[i] for i in seq[sep + 1:-1])
        pair = run(binary, "embed", cross, "--text", query, "--pair", passage, "--json")
        check(pair.returncode == 0, f"embed --pair: {pair.stderr}")
        check(json.loads(pair.stdout)["tokens"] == seq, f"embed --pair tokens, sequence {b}")
        score = run(binary, "score", cross, "--json", query, passage, passage)
        check(score.returncode == 0, f"score: {score.stderr}")
        got = json.loads(score.stdout)["logits"]
        check(len(got) == 2 and got[0] == got[1], f"score: one row per passage: {got}")
        worst = max(worst, max_rel_error(got[0], [logits[b]]))
        check(seq_types == [0] * (sep + 1) + [1] * (length - sep - 1), "golden pair types")
    print(f"score: max rel error {worst:.3g} against PyTorch over {len(lengths)} pairs")
    # The F32 bound of tests/models/encoder_golden_test.cc.
    check(worst <= 4e-6, f"score logits error {worst}")
    text = run(binary, "score", cross, "w7 w8", "w9")
    check(text.returncode == 0 and text.stdout.endswith("  w9\n"), f"score text: {text.stdout!r}")
    no_head = run(binary, "score", f"{model_dir}/small_var-f32.gguf", "a", "b")
    check(no_head.returncode == 1 and "no classifier" in no_head.stderr,
          f"score without a classifier: {no_head.stderr!r}")
    check(run(binary, "score", cross, "only a query").returncode == 2, "score without passages")

    token_model = f"{model_dir}/token_cls-f32.gguf"
    length = golden["enc.token_cls.lengths"][0]
    seq = golden["enc.token_cls.ids"][:length]
    seq_types = golden["enc.token_cls.type_ids"][:length]
    out = run(binary, "embed", token_model, "--ids", ",".join(map(str, seq)), "--type-ids",
              ",".join(map(str, seq_types)), "--json")
    check(out.returncode == 0, f"embed token_cls: {out.stderr}")
    rows = json.loads(out.stdout)["token_logits"]
    labels = len(golden["enc.token_cls.logits"]) // sum(golden["enc.token_cls.lengths"])
    check(len(rows) == length and all(len(r) == labels for r in rows), "token logits shape")
    error = max_rel_error([v for r in rows for v in r],
                          golden["enc.token_cls.logits"][:length * labels])
    print(f"embed token_logits: max rel error {error:.3g} against PyTorch ({length} tokens)")
    check(error <= 4e-6, f"token logits error {error}")


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
    # odd_heads (tanh GELU, cased, heads kept) is not a function llama.cpp computes.
    check(info["architecture"] == "tinyenc" and len(info["layers"]) == 2, "inspect layers")
    check(info["arena_bytes"] > 0 and info["unplanned_bytes"] > info["arena_bytes"], "arena")
    tiled = run(binary, "inspect", model, "--tile-rows", "4", "--json")
    check(tiled.returncode == 0, f"inspect --tile-rows exit {tiled.returncode}: {tiled.stderr}")
    tiled_info = json.loads(tiled.stdout) if tiled.returncode == 0 else {}
    check(tiled_info.get("arena_tile_rows") == 4 and info["arena_tile_rows"] == 0
          and 0 < tiled_info.get("arena_bytes", 0) < info["arena_bytes"], "inspect --tile-rows")
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
    # The F32 bound of tests/models/encoder_golden_test.cc (measured here 4.7e-7).
    check(error <= 4e-6, f"hidden error {error}")

    mean = run(binary, "embed", model, "--ids", id_list, "--type-ids", type_list,
               "--pooling", "mean", "--json")
    got = json.loads(mean.stdout)["embedding"]
    want = golden["enc.odd_heads.mean"][width:2 * width]
    norm = sum(v * v for v in want) ** 0.5
    want = [v / norm for v in want]  # the model normalizes (sentence-transformers Normalize)
    error = max_rel_error(got, want)
    print(f"embed --pooling mean: max rel error {error:.3g}")
    check(error <= 4e-6, f"mean error {error}")

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
    # --threads reaches the session (the split's bit-identity on these small
    # shapes is tests/models/threads_test.cc's, which forces the split down).
    for threads in ("1", "3"):
        threaded = run(binary, "embed", model, "--text", "hello world", "--json",
                       "--threads", threads)
        check(threaded.returncode == 0 and json.loads(threaded.stdout) == by_text,
              f"embed --threads {threads}: exit {threaded.returncode}, {threaded.stderr!r}")
    # similarity's matrix against cosines of embed's outputs, entry by entry:
    # distinct sentences (and one repeated) so a wrong index anywhere in the
    # matrix moves an entry. Both sides read the same float32 embeddings
    # (printed with 9 digits, exact); the matrix entry is a float32-rounded
    # double cosine, 6e-8 from this one at most, so 1e-6 leaves only
    # summation-order room while a wrong pair moves an entry by > 0.01.
    sentences = ["hello world", "the world", "cafe strasse", "a w5 w7 the", "hello world"]
    # small_var mean-pools, so each sentence's words move its vector (odd_heads'
    # CLS row barely changes between these sentences).
    mean_model = f"{model_dir}/small_var-f32.gguf"
    similarity = run(binary, "similarity", mean_model, *sentences, "--json")
    check(similarity.returncode == 0, f"similarity: {similarity.stderr}")
    matrix = json.loads(similarity.stdout)["similarity"]
    embeddings = []
    for sentence in sentences:
        result = run(binary, "embed", mean_model, "--text", sentence, "--json")
        check(result.returncode == 0, f"embed --text {sentence!r}: {result.stderr}")
        embeddings.append(json.loads(result.stdout)["embedding"])

    def cosine(a, b):
        dot = sum(x * y for x, y in zip(a, b))
        return dot / (sum(x * x for x in a) * sum(y * y for y in b)) ** 0.5

    n = len(sentences)
    check(len(matrix) == n and all(len(row) == n for row in matrix),
          f"similarity matrix shape {matrix}")
    worst = 0.0
    for i in range(min(n, len(matrix))):
        for j in range(min(n, len(matrix[i]))):
            error = abs(matrix[i][j] - cosine(embeddings[i], embeddings[j]))
            if not error <= worst:  # NaN is the worst
                worst = error
    off_diagonal = [abs(matrix[i][j] - 1) for i in range(n) for j in range(n)
                    if i != j and {i, j} != {0, n - 1}]
    print(f"similarity: max |matrix - cosine(embed)| {worst:.3g}; "
          f"off-diagonal entries 1 - cos from {min(off_diagonal):.3g}")
    check(worst <= 1e-6, f"similarity differs from embed's cosines by {worst}: {matrix}")
    check(min(off_diagonal) > 0.01, "the sentences are too alike to tell entries apart")
    check(json.loads(similarity.stdout)["seconds_per_sentence"] > 0, "similarity time")

    for args, what in [((model, "--ids", "1,999999"), "token out of range"),
                       ((model, "--ids", "1,x"), "bad id list"),
                       ((model,), "missing --ids"),
                       (("/nonexistent.gguf", "--ids", "1"), "missing file"),
                       ((model, "--ids", "1,2", "--type-ids", "0"), "type count"),
                       ((model, "--ids", "1", "--threads", "-1"), "negative --threads"),
                       ((model, "--ids", "1", "--threads"), "--threads without N")]:
        result = run(binary, "embed", *args)
        check(result.returncode != 0 and result.stderr.strip() and not result.stdout,
              f"{what}: exit {result.returncode}, stderr {result.stderr!r}")
        print(f"embed, {what}: exit {result.returncode}: {result.stderr.strip()}")
    for args, what in [((model,), "no sentence"), (("/nonexistent.gguf", "a"), "missing file"),
                       ((model, "a", "--bogus"), "unknown option"),
                       ((model, "a", "--threads", "two"), "--threads two")]:
        result = run(binary, "similarity", *args)
        check(result.returncode != 0 and result.stderr.strip() and not result.stdout,
              f"similarity, {what}: exit {result.returncode}, stderr {result.stderr!r}")

    check_usage_and_errors(binary, model, info, golden_path, check)
    check_pairs_and_heads(binary, model_dir, golden_path, golden, check)
    check_long_text(binary, model, mean_model, info, check)

    # F7: a file whose context length is 2^32 - 1 made embed --text and
    # similarity allocate 4 bytes per position (16 GiB, then std::bad_alloc).
    source_root = source_root_of(golden_path)
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
