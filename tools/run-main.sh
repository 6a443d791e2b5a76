#!/usr/bin/env bash
# README command 1: set up, build, and run the main job. For now that is the
# kernel benchmark (chosen SIMD target, peak, per-kernel figures); encoding
# text replaces it once the encoder lands.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
exec build/tools/bench_kernels "$@"
