#!/usr/bin/python3
"""Writes a C source holding a file's bytes as a read-only, 64-byte aligned
array in its own section (.rodata.<symbol>), so the linker puts it in flash
and the footprint report can name it. With --wav RATE the bytes are the
samples of a WAV file, which must be 16-bit mono PCM at RATE samples per
second (little-endian, as on the boards).

Usage: embed_file.py [--wav RATE] INPUT SYMBOL OUTPUT.c
"""

import argparse
import wave


def wav_samples(path, rate):
    with wave.open(path, "rb") as clip:
        shape = (clip.getnchannels(), clip.getsampwidth(), clip.getframerate())
        if shape != (1, 2, rate):
            raise SystemExit(f"{path}: {shape[0]} channels of {8 * shape[1]}-bit samples at "
                             f"{shape[2]} Hz, not mono 16-bit at {rate} Hz")
        return clip.readframes(clip.getnframes())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wav", type=int, metavar="RATE")
    parser.add_argument("source")
    parser.add_argument("symbol")
    parser.add_argument("output")
    args = parser.parse_args()
    if args.wav:
        data = wav_samples(args.source, args.wav)
    else:
        with open(args.source, "rb") as f:
            data = f.read()
    symbol = args.symbol
    with open(args.output, "w") as out:
        out.write(f"/* Written by firmware/embed_file.py from {args.source}; do not edit. */\n"
                  "#include <stddef.h>\n\n"
                  f'__attribute__((aligned(64), section(".rodata.{symbol}")))\n'
                  f"const unsigned char {symbol}[{len(data)}] = {{\n")
        for start in range(0, len(data), 24):
            out.write(",".join(str(b) for b in data[start:start + 24]) + ",\n")
        out.write(f"}};\nconst size_t {symbol}_size = {len(data)};\n")


if __name__ == "__main__":
    main()
