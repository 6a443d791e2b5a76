#!/usr/bin/env bash
# Fetches TensorFlow Lite's own interpreter, compiled to WASM, from npm
# (@tensorflow/tfjs-tflite, pinned) into .cache/npm-tflite, once, installing
# nodejs and npm from Debian when missing. Only regenerating the KWT goldens
# needs it (tests/models/kwt/make_goldens.js); the tests read the committed
# goldens.
set -euo pipefail
cd "$(dirname "$0")/.."
package=@tensorflow/tfjs-tflite@0.0.1-alpha.10
wasm=.cache/npm-tflite/node_modules/@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc.wasm
[ -f "$wasm" ] && exit 0
if ! command -v npm >/dev/null; then
  tools/setup.sh --only nodejs npm >/dev/null
fi
echo "fetch-tflite-runtime: fetching $package into .cache/npm-tflite"
timeout 300 npm install --prefix .cache/npm-tflite --no-audit --no-fund --loglevel=error \
  "$package"
[ -f "$wasm" ] || { echo "fetch-tflite-runtime: npm install did not leave $wasm" >&2; exit 1; }
