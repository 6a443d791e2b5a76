#!/usr/bin/python3
"""Runs the firmware (under qemu-system-arm) and a host build's `tinyenc`
on the same model and input and compares every output the firmware prints:
for a token model its hidden states (`embed --pooling none`) and pooled
embedding (`embed --pooling mean`); for a keyword model (--wav) its label
and logits (`listen --json`); for both its arena bytes (the build-time plan,
made on the host, must be what the session uses).

Usage: compare_with_host.py --host-tinyenc PATH --model MODEL.gguf
                            (--ids 101,...,102 | --wav CLIP.wav --weights TYPE)
                            [--tolerance T] -- FIRMWARE_COMMAND...
Exits 77 (skipped) when no host tinyenc is given. Standard library only.
"""

import argparse
import json
import math
import re
import subprocess
import sys

# The board runs Highway's SCALAR (M4) or EMU128 (M55) target, the host
# AVX3_DL or AVX3: sums go in other orders and exp/erf are other
# approximations. Measured over every printed value (O(1) values), on
# 2026-11-28: max |delta| 1.32e-6 (M4) / 1.36e-6 (M55) on the hidden states
# and 7.9e-7 (M4) / 5.5e-7 (M55) on the embedding, about half of it the
# board's six printed decimals (rounding 5e-7); the consumer program
# (tests/consumer/checks.sh) 1.36e-6 on aarch64 under qemu, 1.03e-6 as a
# static x86 build, 5e-7 native. The bound, 4e-6, is 2.9x the worst; a wrong
# kernel, layout or one activation landing on another Q8_0 step moves
# values by 1e-3 or more. (It was 1e-4, on the embedding alone.)
DEFAULT_TOLERANCE = 4e-6

# Keyword logits (KWT-1, yes_1000ms.wav), by the model's weight type.
# Measured against the host's AVX3_DL, M4 and M55 alike: F32 max |delta|
# 5.8e-7, most of it the board's six printed decimals (rounding 5e-7); the
# bound, 2e-6, is 3.4x that (the issue asks for 1e-4). I8: X rows are
# quantized per row, so a float difference upstream (front end, layer norm,
# GELU in another order) can move a code by one step, which the following
# layers carry on. With int16 codes on both sides that stays small: M4
# against an int16 host (aarch64 under qemu) 4.9e-5, 1.0e-5 of it the M4's
# GELU by table (GeluTanhForCodes). 8-bit codes (AVX3_DL's
# and Helium's, for the FFN, the attention output, Q and V: docs/KERNELS.md)
# are 128 times coarser, and once a code moves the next layers' codes move
# too: M4 (int16) against an AVX3_DL host 1.48e-2, M55 (8-bit) against an
# int16 host 6.9e-3 and against an AVX3_DL host 1.88e-2 (2026-11-28). The
# bound stays 2e-2, 1.06x the worst: both sides' arithmetic is fixed for a
# given target, so the figures repeat bit for bit; a wrong kernel moves
# logits by 0.1 or more (a swapped code order: 4.4 and another label).
LOGITS_TOLERANCE = {"f32": 2e-6, "i8": 2e-2}


def printed_values(stdout, pattern, what):
    match = re.search(pattern, stdout, re.MULTILINE)
    if match is None:
        sys.exit(f"firmware printed no {what} line")
    *sizes, text = match.groups()
    values = [float(v) for v in text.split()]
    if len(values) != math.prod(int(n) for n in sizes):
        sys.exit(f"firmware printed {len(values)} {what} values, announced {sizes}")
    return values


def run_firmware(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        sys.exit(f"firmware exited with {result.returncode}")
    # The firmware's arena line also names its static buffer, planned on the
    # host at build time; a consumer program's names only what it allocated.
    arena = re.search(r"^arena bytes: (\d+)(?: \(static buffer (\d+),)?", result.stdout,
                      re.MULTILINE)
    if arena is None:
        sys.exit("firmware printed no arena line")
    return result.stdout, (int(arena.group(1)), int(arena.group(2) or arena.group(1)))


def host_values(host_tinyenc, model, ids, pooling):
    run = subprocess.run([host_tinyenc, "embed", model, "--ids", ids, "--pooling", pooling,
                          "--json"], capture_output=True, text=True, check=True)
    out = json.loads(run.stdout)
    if pooling == "none":
        return [v for row in out["hidden"] for v in row]
    return out["embedding"]


def worst_delta(board, host):
    worst = 0.0
    for b, h in zip(board, host):
        delta = abs(b - h)
        if not delta <= worst:  # NaN is the worst
            worst = delta if delta == delta else math.inf
    return worst


def compare_embedding(stdout, args, failures):
    for name, pooling in (("hidden", "none"), ("embedding", "mean")):
        pattern = r"^hidden (\d+) (\d+):(.*)$" if name == "hidden" else r"^embedding (\d+):(.*)$"
        board = printed_values(stdout, pattern, name)
        host = host_values(args.host_tinyenc, args.model, args.ids, pooling)
        check_values(name, board, host, args.tolerance or DEFAULT_TOLERANCE, failures)


def compare_logits(stdout, args, failures):
    board = printed_values(stdout, r"^logits (\d+):(.*)$", "logits")
    run = subprocess.run([args.host_tinyenc, "listen", args.model, args.wav, "--json"],
                         capture_output=True, text=True, check=True)
    host = json.loads(run.stdout)
    label = re.search(r"^label: (.*)$", stdout, re.MULTILINE)
    board_label = label.group(1) if label else None
    print(f"label: board {board_label}, host {host['label']}")
    if board_label != host["label"]:
        failures.append(f"label {board_label} != host {host['label']}")
    check_values("logits", board, host["logits"],
                 args.tolerance or LOGITS_TOLERANCE[args.weights], failures)


def check_values(name, board, host, tolerance, failures):
    if len(host) != len(board):
        failures.append(f"{name}: host has {len(host)} values, board {len(board)}")
        return
    worst = worst_delta(board, host)
    verdict = "within" if worst <= tolerance else "ABOVE"
    print(f"board vs host, {name}: max |delta| {worst:.3g} over {len(host)} values, "
          f"{verdict} tolerance {tolerance:g}")
    if not worst <= tolerance:
        failures.append(f"{name} max |delta| {worst:.3g}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host-tinyenc", default="")
    parser.add_argument("--model", required=True)
    parser.add_argument("--ids")
    parser.add_argument("--wav")
    parser.add_argument("--weights", choices=sorted(LOGITS_TOLERANCE))
    parser.add_argument("--tolerance", type=float)
    parser.add_argument("firmware", nargs="+")
    args = parser.parse_args()
    if (args.ids is None) == (args.wav is None) or (args.wav and not args.weights):
        parser.error("give --ids, or --wav with --weights")

    stdout, (used, planned) = run_firmware(args.firmware)
    if not args.host_tinyenc:
        print("SKIP: no host tinyenc to compare with (configure with -Dhost_tinyenc=PATH)")
        sys.exit(77)
    failures = []
    print(f"arena: the session uses {used} bytes of the {planned} planned on the host")
    if used != planned:
        failures.append(f"arena used {used} != planned {planned}")
    if args.wav:
        compare_logits(stdout, args, failures)
    else:
        compare_embedding(stdout, args, failures)
    for failure in failures:
        print("FAILED:", failure)
    sys.exit(1 if failures else 0)

if __name__ == "__main__":
    main()
