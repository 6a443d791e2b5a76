#!/usr/bin/env bash
# Mutation evidence for the test suite: applies each small deliberate fault
# below to a scratch copy of the tree (the committed and working files, in
# ${TINYENC_MUTATION_DIR:-/tmp/tinyenc-mutation}/src, with ../shared linked
# beside it), rebuilds, runs the tests that should notice, and reports which
# mutations they catch. Exits non-zero when any mutation survives or does not
# apply. Native build only (static Highway, this CPU's best target, so each
# rebuild compiles a kernel once); USE-lite is left out (its tests skip).
#
# Usage: tools/mutation-check.sh [NAME...]   (default: every mutation)
# About 10 minutes on 2 shared cores from a clean scratch folder; the scratch
# build is kept, so later runs skip the first configure and build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=${TINYENC_MUTATION_DIR:-/tmp/tinyenc-mutation}
mkdir -p "$scratch/src"
# A fresh copy of every tracked file as it is in the working tree.
# (tar keeps modification times, so unchanged files are not rebuilt.)
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$scratch/src"
ln -sfn "$(cd "$root/.." && pwd)/shared" "$scratch/shared"
if [ ! -f "$scratch/build/build.ninja" ]; then
  meson setup "$scratch/build" "$scratch/src" -Dhwy_mode=static -Dcpp_args=-march=native \
    > "$scratch/setup.log"
fi
ninja -C "$scratch/build" -j2 > "$scratch/build.log"

exec python3 - "$scratch" "$@" <<'PY'
import subprocess, sys, time

scratch, only = sys.argv[1], set(sys.argv[2:])
src, build = f"{scratch}/src", f"{scratch}/build"

# name, file, text, replacement (the text must occur exactly once), tests.
MUTATIONS = [
    ("activation variant: HF \"gelu\" converted as the tanh GELU",
     "models/tinyenc_convert/hf.py", '"gelu": "gelu_erf"', '"gelu": "gelu_tanh"',
     ["encoder_golden"]),
    ("epsilon: layer_norm_eps read from a wrong key (silently 1e-12)",
     "models/tinyenc_convert/hf.py", 'config.get("layer_norm_eps", 1e-12)',
     'config.get("layer_norm_epsilon", 1e-12)', ["encoder_golden"]),
    ("rounding mode, C++ quantizer: Q8_0 codes truncated toward zero",
     "simd/quantize.cc", "out[b].qs[j] = static_cast<int8_t>(std::round(x[j] * inverse));",
     "out[b].qs[j] = static_cast<int8_t>(std::trunc(x[j] * inverse));", ["ggml_quant"]),
    ("rounding mode, Python quantizer: Q8_0 codes truncated toward zero",
     "models/tinyenc_convert/ggml_quants.py", "return np.sign(v_f32) * np.floor(a + 0.5)",
     "return np.sign(v_f32) * np.floor(a)", ["ggml_quants_py"]),
    ("rounding mode, C++ quantizer: Q4_0 nibbles rounded down (+8 for +8.5)",
     "simd/quantize.cc", "const int lo = static_cast<int>(x[j] * inverse + 8.5f);",
     "const int lo = static_cast<int>(x[j] * inverse + 8.0f);", ["ggml_quant"]),
    ("an index in the similarity matrix: Cosine(e[i], e[i])",
     "tools/cli/similarity.cc",
     "row[j] = static_cast<float>(Cosine(run.embeddings[i].data(), run.embeddings[j].data(),",
     "row[j] = static_cast<float>(Cosine(run.embeddings[i].data(), run.embeddings[i].data(),",
     ["cli"]),
    ("an index in the similarity matrix: column j read as n-1-j",
     "tools/cli/similarity.cc",
     "row[j] = static_cast<float>(Cosine(run.embeddings[i].data(), run.embeddings[j].data(),",
     "row[j] = static_cast<float>(Cosine(run.embeddings[i].data(), run.embeddings[n - 1 - j].data(),",
     ["cli"]),
    ("a NaN weight block: one Q4_0 block scale NaN per converted file",
     "models/tinyenc_convert/ggml_quants.py", "    d = signed_max / F32(-8)\n",
     "    d = signed_max / F32(-8)\n    global _NAN_DONE\n"
     "    if '_NAN_DONE' not in globals() and len(d) > 3:\n"
     "        d[3] = np.nan\n        _NAN_DONE = True\n", ["encoder_golden"]),
    ("off-by-one in attention: the last key left out of the weighted sum",
     "simd/attention-inl.h", "    for (size_t j = 0; j < seq; ++j) {\n      const auto vj",
     "    for (size_t j = 0; j + 1 < seq; ++j) {\n      const auto vj", ["attention", "encoder_golden"]),
    ("off-by-one in attention's mask: each sequence attends one row too few",
     "models/encoder-inl.h", "own.seq = sequences[b].rows;",
     "own.seq = sequences[b].rows > 1 ? sequences[b].rows - 1 : 1;", ["encoder_golden"]),
    ("a swapped head: head h reads the next head's values",
     "simd/attention-inl.h", "const float* v_head = v + h * dim;",
     "const float* v_head = v + ((h + 1) % shape.heads) * dim;", ["attention", "encoder_golden"]),
    ("missing 1/sqrt(head width) in attention",
     "models/encoder-inl.h",
     "const float scale = 1.0f / std::sqrt(static_cast<float>(attention.head_dim));",
     "const float scale = 1.0f;", ["encoder_golden"]),
    ("a skipped normalization: embeddings not L2-normalized",
     "models/encoder-inl.h",
     "for (size_t b = 0; b < rows; ++b) L2Normalize(out + b * step.width, step.width);",
     "(void)rows;", ["encoder_golden", "cli"]),
    ("activation variant in the kernel: GeluErf runs the tanh form",
     "simd/activations.cc",
     "void GeluErf(float* v, size_t count) { HWY_DYNAMIC_DISPATCH(GeluErf)(v, count); }",
     "void GeluErf(float* v, size_t count) { HWY_DYNAMIC_DISPATCH(GeluTanh)(v, count); }",
     ["activations", "encoder_golden"]),
    ("epsilon in the encoder: layer norms run with epsilon 0",
     "models/encoder-inl.h", "step.gamma, step.beta, model.config.layer_norm_eps);",
     "step.gamma, step.beta, 0.0f);", ["encoder_golden"]),
    ("rounding mode, F16 conversion: weights truncated toward zero",
     "models/tinyenc_convert/ggml_quants.py",
     "return np.asarray(values_f32, dtype=F32).astype(np.float16).view(np.uint16)",
     "x = np.asarray(values_f32, dtype=F32)\n    h = x.astype(np.float16)\n"
     "    return (h.view(np.uint16) - (np.abs(h.astype(F32)) > np.abs(x))).astype(np.uint16)",
     ["encoder_golden"]),
    ("C API: every sequence gets the first sequence's embedding",
     "runtime/c_api.cc", "return session == nullptr ? nullptr : AsSession(session).Embedding(sequence);",
     "return session == nullptr ? nullptr : AsSession(session).Embedding(0);", ["c_api"]),
    ("mean pooling over one row fewer",
     "models/encoder-inl.h", "MeanPool(first, sequences[b].rows, width, pooled + b * width);",
     "MeanPool(first, sequences[b].rows > 1 ? sequences[b].rows - 1 : 1, width, pooled + b * width);",
     ["encoder_golden"]),
]


def run(*command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


# The unmutated tree must pass every test the mutations use, or a failure
# below would prove nothing.
baseline = sorted({test for *_, tests in MUTATIONS for test in tests})
failing = [t for t in baseline if run("meson", "test", "-C", build, "--no-rebuild", t).returncode]
if failing:
    sys.exit(f"the unmutated tree fails {', '.join(failing)}: nothing can be concluded")
print(f"unmutated tree: {', '.join(baseline)} pass", flush=True)

results = []
for name, path, text, replacement, tests in MUTATIONS:
    if only and not any(word in name for word in only):
        continue
    started = time.time()
    full = f"{src}/{path}"
    with open(full) as f:
        original = f.read()
    if original.count(text) != 1:
        results.append((name, "DID NOT APPLY", "", 0))
        print(f"DID NOT APPLY  {name}: {path} holds the text {original.count(text)} times")
        continue
    with open(full, "w") as f:
        f.write(original.replace(text, replacement))
    try:
        built = run("ninja", "-C", build, "-j2")
        if built.returncode != 0:
            verdict, by = "DOES NOT BUILD", built.stdout[-400:]
        else:
            caught = []
            for test in tests:
                result = run("meson", "test", "-C", build, "--no-rebuild", test)
                if result.returncode != 0:
                    caught.append(test)
            verdict = "caught" if caught else "SURVIVED"
            by = ", ".join(caught) if caught else f"({', '.join(tests)} passed)"
    finally:
        with open(full, "w") as f:
            f.write(original)
    seconds = time.time() - started
    results.append((name, verdict, by, seconds))
    print(f"{verdict:14} {name}: {by} ({seconds:.0f} s)", flush=True)

run("ninja", "-C", build, "-j2")  # back to the unmutated tree
bad = [r for r in results if r[1] != "caught"]
print(f"\n{len(results) - len(bad)} of {len(results)} mutations caught")
sys.exit(1 if bad or not results else 0)
PY
