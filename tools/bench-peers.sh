#!/usr/bin/env bash
# tinyenc beside ONNX Runtime on this machine, measured, not quoted: one table
# of median encode latencies (BERT-tiny and MiniLM-L6 shapes, 128 and 16
# tokens, 1 and 2 threads) for every tinyenc weight type and ONNX Runtime fp32
# and dynamic int8, with each tinyenc row's ratio to ONNX Runtime int8 on as
# many threads, and each engine's 2-thread time over its 1-thread time; it
# names the CPU and tinyenc's SIMD target. A benchmark, not a test: CI does not run it.
#
# Installs what it needs, once: tools/setup.sh's packages, python3-onnx,
# nodejs and npm from Debian, and onnxruntime-node (pinned) from npm into
# .cache/ort-node (ONNXRUNTIME_NODE_INSTALL=skip: the CPU build inside the
# package, nothing else downloaded). Builds tinyenc (tools/build.sh, or
# TINYENC_BUILD_DIR), writes the models into <build>/peer-models once, and runs
# tools/peers/bench_peers.py; arguments go to it (e.g. --rounds 3 --budget-ms 10
# for a quick look; --help).
set -euo pipefail
cd "$(dirname "$0")/.."
ort_version=1.30.0

tools/setup.sh
missing=()
/usr/bin/python3 -c 'import onnx' 2>/dev/null || missing+=(python3-onnx)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] || tools/setup.sh --only "${missing[@]}"

ort_dir=.cache/ort-node
installed=$(node -p "try { require('./$ort_dir/node_modules/onnxruntime-node/package.json').version } catch { '' }")
if [ "$installed" != "$ort_version" ]; then
  echo "bench-peers: installing onnxruntime-node $ort_version into $ort_dir"
  mkdir -p "$ort_dir"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$ort_dir" --no-audit --no-fund \
    --loglevel=error "onnxruntime-node@$ort_version"
fi

build=${TINYENC_BUILD_DIR:-build}
if [ "$build" = build ]; then
  tools/build.sh >/dev/null
else
  [ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
  ninja -C "$build" tools/bench_encoder >/dev/null
fi
exec /usr/bin/python3 tools/peers/bench_peers.py --build "$build" \
  --node-modules "$ort_dir/node_modules" "$@"
