#!/usr/bin/python3
"""Prints each firmware's `size` and splits it, from the linker map, into
tinyenc's own code, the firmware and board code, the C/C++ runtime, the
model, the clip and the arena, then lists tinyenc's largest objects.

Usage: footprint.py SIZE_TOOL FIRMWARE.elf FIRMWARE.map [FIRMWARE.elf FIRMWARE.map ...]
Standard library only.
"""

import collections
import os
import re
import subprocess
import sys

INPUT_SECTION = re.compile(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
ADDRESS_ONLY = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
RUNTIME_ARCHIVES = ("libc", "libg", "libstdc++", "libsupc++", "libgcc", "libm", "librdimon",
                    "libnosys", "crt")
COLUMNS = ("text", "rodata", "data", "bss")
# Output sections the boards load or reserve; the rest is debug information.
ALLOCATED = {".vectors", ".model", ".text", ".ARM.extab", ".ARM.exidx", ".preinit_array", ".init_array", ".fini_array",
             ".data", ".bss"}


def kind_of(section):
    if section.startswith((".bss", "COMMON")):
        return "bss"
    if section.startswith(".data"):
        return "data"
    if section.startswith(".text") or section in (".init", ".fini"):
        return "text"
    return "rodata"  # .rodata*, .ARM.exidx, init/fini arrays, vector table


def category_of(section, source):
    if section.startswith(".rodata.firmware_model"):
        return "model (flash)"
    if section.startswith(".rodata.firmware_clip"):
        return "clip (flash)"
    if section.startswith(".bss") and "arena" in section and "main.cc" in source:
        return "arena (RAM)"
    name = os.path.basename(source.split("(")[0])
    if name.startswith("libtinyenc"):
        return "tinyenc (runtime + kernels)"
    if name.startswith(RUNTIME_ARCHIVES):
        return "C/C++ runtime (newlib-nano, libstdc++, libgcc, rdimon)"
    return "firmware + board (main, startup, Model/Session objects)"


def input_sections(map_path):
    """Yields (section, size, source) for every input section the map places."""
    with open(map_path) as f:
        lines = f.read().split("Linker script and memory map", 1)[1].splitlines()
    pending = None
    output_section = None
    for line in lines:
        if re.match(r"^[.\w]", line):
            output_section = line.split()[0]
            pending = None
            continue
        if output_section not in ALLOCATED:
            continue
        match = INPUT_SECTION.match(line)
        if match and not line.startswith(" *"):
            yield match.group(1), int(match.group(3), 16), match.group(4)
            pending = None
            continue
        if pending is not None:
            match = ADDRESS_ONLY.match(line)
            if match:
                yield pending, int(match.group(2), 16), match.group(3)
        pending = line.strip() if re.match(r"^ [.\w]\S*$", line) else None


def report(size_tool, elf, map_path):
    print(f"\n## {os.path.basename(elf)}\n")
    subprocess.run([size_tool, elf], check=True)
    totals = collections.defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    tinyenc_objects = collections.Counter()
    for section, size, source in input_sections(map_path):
        if size == 0 or "load address" in source:
            continue
        category = category_of(section, source)
        kind = kind_of(section)
        totals[category][kind] += size
        if category.startswith("tinyenc") and kind != "bss":
            tinyenc_objects[source.rsplit("(", 1)[-1].rstrip(")")] += size

    print(f"\n| part | code (.text) | read-only data | .data | .bss | flash | RAM |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for category in sorted(totals):
        t = totals[category]
        flash = t["text"] + t["rodata"] + t["data"]
        ram = t["data"] + t["bss"]
        print(f"| {category} | {t['text']} | {t['rodata']} | {t['data']} | {t['bss']} "
              f"| {flash} | {ram} |")
    print("\ntinyenc's largest objects (flash bytes):")
    for name, size in tinyenc_objects.most_common(12):
        print(f"  {size:7d}  {name}")


def main():
    size_tool, *pairs = sys.argv[1:]
    for i in range(0, len(pairs), 2):
        report(size_tool, pairs[i], pairs[i + 1])


if __name__ == "__main__":
    main()
