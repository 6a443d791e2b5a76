#!/usr/bin/env bash
# README command 1: set up, build, and run the main job: convert a Hugging
# Face BERT checkpoint (the small random one the tests use) to Q8_0, inspect
# it, embed a token sequence with it, then time 128-token encodes of BERT-tiny
# and MiniLM-L6 shaped models. Text input arrives with the tokenizers.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
python=python3
$python -c 'import numpy' 2>/dev/null || python=/usr/bin/python3
model=build/main-job/tiny-q8_0.gguf
mkdir -p build/main-job
$python models/convert_hf.py tests/models/golden/tiny -o "$model" --outtype q8_0 >/dev/null
echo "== tinyenc inspect $model (first lines)"
build/tools/tinyenc inspect "$model" | head -16
echo "== tinyenc embed $model --ids 2,17,31,3 --pooling mean --normalize --json"
build/tools/tinyenc embed "$model" --ids 2,17,31,3 --pooling mean --normalize --json | cut -c1-160
echo "== encoder benchmark"
tools/bench-encoder.sh
