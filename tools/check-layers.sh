#!/usr/bin/env bash
# Checks that the layers form a one-way chain: lists every #include "..."
# edge between them and fails on any that points up. The layers, bottom to
# top, by folder:
#   core    runtime/core/ (Status, GGUF reader, arena planner, file mapping,
#           weight types; public headers in runtime/core/include/)
#   simd    simd/
#   audio   audio/ (the audio front end of keyword models)
#   models  models/ (public types in models/include/)
#   api     runtime/ outside core/ (public headers in runtime/include/)
#   tools   tools/, firmware/, python/ (the Python package's module)
# A header named "tinyenc/x.h" belongs to the layer whose include/ holds it.
# Also checks that the `tinyenc` command (tools/cli/) and the Python module
# (python/) include only public headers. Tests may include anything. Usage: tools/check-layers.sh [ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
exec python3 - <<'PY'
import os, re, sys

LAYERS = ["core", "simd", "audio", "models", "api", "tools"]
PUBLIC = {"runtime/core/include": "core", "models/include": "models", "runtime/include": "api"}

def layer_of(path):
    for prefix, layer in PUBLIC.items():
        if path.startswith(prefix + "/"):
            return layer
    if path.startswith("runtime/core/"):
        return "core"
    if path.startswith("simd/"):
        return "simd"
    if path.startswith("audio/"):
        return "audio"
    if path.startswith("models/"):
        return "models"
    if path.startswith("runtime/"):
        return "api"
    if path.startswith(("tools/", "firmware/", "python/")):
        return "tools"
    return None

def resolve(include, source):
    candidates = [include, os.path.join(os.path.dirname(source), include)]
    candidates += [os.path.join(prefix, include) for prefix in PUBLIC]
    for candidate in candidates:
        candidate = os.path.normpath(candidate)
        if os.path.isfile(candidate):
            return candidate
    return None  # a system or generated header (hwy/, doctest/, firmware_arena.h)

edges = {}
upward = []
private_includes = []
for top in ["runtime", "simd", "audio", "models", "tools", "firmware", "python"]:
    for folder, _, files in os.walk(top):
        for name in sorted(files):
            if not name.endswith((".h", ".cc", ".c")):
                continue
            source = os.path.join(folder, name)
            here = layer_of(source)
            with open(source, encoding="utf-8", errors="replace") as text:
                for number, line in enumerate(text, 1):
                    match = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not match:
                        continue
                    target = resolve(match.group(1), source)
                    there = layer_of(target) if target else None
                    if there is None:
                        continue
                    edges[(here, there)] = edges.get((here, there), 0) + 1
                    if LAYERS.index(there) > LAYERS.index(here):
                        upward.append(f"{source}:{number}: {here} includes {there} ({target})")
                    public = any(target.startswith(p + "/") for p in PUBLIC)
                    user = source.startswith(("tools/cli/", "python/"))
                    if user and not public and not target.startswith(("tools/", "python/")):
                        private_includes.append(f"{source}:{number}: includes private {target}")

print("#include edges between layers (from -> to: count):")
for (here, there), count in sorted(edges.items(), key=lambda e: (LAYERS.index(e[0][0]), LAYERS.index(e[0][1]))):
    if here != there:
        mark = "  UP" if LAYERS.index(there) > LAYERS.index(here) else ""
        print(f"  {here:6} -> {there:6} {count:4}{mark}")
for problem in upward + private_includes:
    print(problem)
if upward or private_includes:
    print(f"check-layers: {len(upward)} upward edges, {len(private_includes)} private includes "
          "in the CLI or the Python module")
    sys.exit(1)
print("check-layers: the chain holds")
PY
