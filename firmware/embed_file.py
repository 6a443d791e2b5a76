#!/usr/bin/python3
"""Writes a C source holding a file's bytes as a read-only, 64-byte aligned
array in its own section (.rodata.<symbol>), so the linker puts it in flash
and the footprint report can name it.

Usage: embed_file.py INPUT SYMBOL OUTPUT.c
"""

import sys


def main():
    source, symbol, output = sys.argv[1:4]
    with open(source, "rb") as f:
        data = f.read()
    with open(output, "w") as out:
        out.write(f"/* Written by firmware/embed_file.py from {source}; do not edit. */\n"
                  "#include <stddef.h>\n\n"
                  f'__attribute__((aligned(64), section(".rodata.{symbol}")))\n'
                  f"const unsigned char {symbol}[{len(data)}] = {{\n")
        for start in range(0, len(data), 24):
            out.write(",".join(str(b) for b in data[start:start + 24]) + ",\n")
        out.write(f"}};\nconst size_t {symbol}_size = {len(data)};\n")


if __name__ == "__main__":
    main()
