#!/usr/bin/python3
"""Runs a profile build of the keyword firmware (pc_sampler.cc) and says
where its instructions go: each sampled address is attributed, through the
ELF's debug information (addr2line --inlines), to the outermost kernel it
lies in (so a matrix product inside attention counts as attention), and to
its innermost function.

Usage: profile.py ADDR2LINE FIRMWARE.elf -- QEMU_COMMAND...
Standard library only.
"""

import collections
import re
import subprocess
import sys

# Checked from the outermost inlined frame inwards; the first match names
# the sample's part. Anything else (the encoder's loop, the classifier
# head, start-up) is "other".
PARTS = (
    ("front end", ("ComputeFeatures", "FrontEnd", "RealFft", "Listen(")),
    ("attention", ("Attention", "WeightedSumOfRows")),
    ("softmax", ("Softmax", "ExpMinusMax", "ScaleMaskMax")),
    ("layer norm", ("LayerNorm", "SumDeviations")),
    ("GELU", ("Gelu", "Activate", "Tanh")),
    ("activation quantization", ("QuantizeActivation", "ScanRow", "RoundRow")),
    ("matmul", ("MatMul", "RowDot", "DspDot", "ScaleSums", "FloatTile", "FloatDot",
                "FloatRowDots", "RunTile", "SweepTiles")),
)


def part_of(frames):
    for frame in reversed(frames):  # addr2line prints the innermost first
        for part, keys in PARTS:
            if any(key in frame for key in keys):
                return part
    return "other"


def main():
    addr2line, elf = sys.argv[1:3]
    command = sys.argv[sys.argv.index("--") + 1:]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"firmware exited with {run.returncode}:\n{run.stdout}{run.stderr}")
    pcs = re.findall(r"^pc (0x[0-9a-f]+)$", run.stdout, re.MULTILINE)
    if not pcs:
        sys.exit("no samples")
    counts = collections.Counter(int(pc, 16) for pc in pcs)
    unique = [hex(pc) for pc in sorted(counts)]
    # One query for all addresses; each answer ends with the sentinel's.
    text = subprocess.run([addr2line, "-e", elf, "-f", "-C", "-i", "-a"],
                          input="\n".join(unique) + "\n", capture_output=True, text=True,
                          check=True).stdout
    frames_of = {}
    for block in re.split(r"^(?=0x[0-9a-f]+$)", text, flags=re.MULTILINE):
        lines = block.strip().splitlines()
        if lines:
            frames_of[int(lines[0], 16)] = lines[1::2]
    parts = collections.Counter()
    functions = collections.Counter()
    others = collections.Counter()
    for pc, n in counts.items():
        frames = frames_of.get(pc, ["?"])
        part = part_of(frames)
        parts[part] += n
        functions[frames[0].split("(")[0]] += n
        if part == "other":
            others[" < ".join(f.split("(")[0][-40:] for f in frames[:3])] += n
    total = sum(counts.values())
    print(f"{total} samples")
    for part, n in parts.most_common():
        print(f"  {100 * n / total:5.1f}%  {part}")
    print("innermost functions:")
    for name, n in functions.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("other, by its three innermost frames:")
    for name, n in others.most_common(16):
        print(f"  {100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
