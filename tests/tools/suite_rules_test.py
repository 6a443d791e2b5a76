#!/usr/bin/env python3
"""Regression tests for the suite's own honesty (issue 10): a test whose data
is absent reports SKIP (exit 77) and says why instead of passing; a doctest
filter that matches nothing fails; run-tests.sh's closing summary fails when
a suite ran fewer tests than it defines, or when a test failed.

Usage (meson test runs it): suite_rules_test.py BUILD_ROOT SOURCE_ROOT
Standard library only.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def run(command, env):
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    return result.returncode, result.stdout + result.stderr


def main():
    build, source = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as scratch:
        # Vocabularies the build step could not make, and a source root with
        # no ../shared beside it.
        vocabs = os.path.join(scratch, "vocabs")
        os.makedirs(vocabs)
        with open(os.path.join(vocabs, "vocabs.txt"), "w") as stamp:
            stamp.write("bert: absent (simulated by suite_rules_test)\n"
                        "use: absent (simulated by suite_rules_test)\n")
        lonely = os.path.join(scratch, "lonely", "src")
        os.makedirs(lonely)
        env = dict(os.environ, TINYENC_SOURCE_ROOT=source, TINYENC_TOKENIZER_VOCABS=vocabs,
                   TINYENC_GOLDEN_MODELS=os.path.join(build, "tests/models/golden"))
        for program in ("tests/models/tokenizer/wordpiece_test",
                        "tests/models/tokenizer/unigram_test",
                        "tests/models/tokenizer/tokenizer_api_test",
                        "tests/models/no_heap_test"):
            code, out = run([os.path.join(build, program)], env)
            check(code == 77 and "SKIPPED" in out and "simulated" in out,
                  f"{program} without its vocabulary: exit {code} (want 77, saying why)")
        no_shared = dict(env, TINYENC_SOURCE_ROOT=lonely)
        code, out = run([os.path.join(build, "tests/simd/ggml_quant_test")], no_shared)
        check(code == 77 and "ggml-quant" in out,
              f"ggml_quant_test without ../shared: exit {code} (want 77, saying why)")
        code, out = run([sys.executable, os.path.join(source, "tests/models/ggml_quants_test.py"),
                         lonely], no_shared)
        check(code == 77 and "ggml-quant" in out,
              f"ggml_quants_test.py without ../shared: exit {code} (want 77, saying why)")
        code, out = run([os.path.join(build, "tests/simd/elementwise_test"),
                         "--test-case=no?such?case*"], env)
        check(code != 0 and "no test case matched" in out,
              f"a doctest filter matching nothing: exit {code} (want a failure)")

        # run-tests.sh's closing summary, on a log cut short and on one with
        # a failure (the script's own Python, taken from between its PY marks).
        with open(os.path.join(source, "tools/run-tests.sh")) as script:
            summary = re.search(r"<<'PY'\n(.*?)\nPY\n", script.read(), re.S).group(1)
        summary_path = os.path.join(scratch, "summary.py")
        with open(summary_path, "w") as f:
            f.write(summary)
        checks = os.path.join(scratch, "checks.jsonl")
        with open(checks, "w") as f:
            f.write(json.dumps({"name": "a script check", "result": "OK"}) + "\n")

        def log(name, results):
            path = os.path.join(scratch, name)
            with open(path, "w") as f:
                for n, result in enumerate(results):
                    f.write(json.dumps({"name": f"test{n}", "result": result}) + "\n")
            return path

        full = log("full.json", ["OK", "OK", "SKIP"])
        cases = [
            ([f"build|3|{full}"], 0, "3 passed, 0 failed, 1 skipped", "every test ran"),
            ([f"build|5|{full}"], 1, "3 passed, 2 failed, 1 skipped", "2 of 5 did not run"),
            ([f"build|2|{os.path.join(scratch, 'absent.json')}"], 1, "1 passed, 2 failed",
             "no testlog at all"),
            ([f"build|3|{log('failed.json', ['OK', 'FAIL', 'OK'])}"], 1, "3 passed, 1 failed",
             "a failed test"),
        ]
        for suites, want_code, want_line, what in cases:
            code, out = run([sys.executable, summary_path, checks, *suites], env)
            last = out.strip().splitlines()[-1] if out.strip() else ""
            check(code == want_code and last.startswith(want_line),
                  f"summary, {what}: exit {code}, closing line {last!r}")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
