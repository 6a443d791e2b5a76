#!/usr/bin/env bash
# Builds, makes random-weight BERT-tiny (L2 H128 FF512) and MiniLM-L6 (L6 H384
# FF1536) shaped models in F32 and Q8_0 once (build/bench-models/), and times
# one 128-token encode of each.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
python=python3
$python -c 'import numpy' 2>/dev/null || python=/usr/bin/python3
mkdir -p build/bench-models
models=()
for shape in "bert-tiny 2 128 2 512" "minilm-l6 6 384 12 1536"; do
  read -r name layers hidden heads ffn <<<"$shape"
  for type in f32 q8_0; do
    out="build/bench-models/$name-$type.gguf"
    [ -f "$out" ] || $python models/make_random_bert.py --layers "$layers" --hidden "$hidden" \
      --heads "$heads" --ff "$ffn" --vocab 30522 --context 512 --outtype "$type" -o "$out" >/dev/null
    models+=("$out")
  done
done
build/tools/bench_encoder "${models[@]}"
