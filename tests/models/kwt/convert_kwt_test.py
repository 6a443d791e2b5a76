#!/usr/bin/python3
"""The KWT converter refuses files that are not this graph family, naming
what it did not recognise: copies of ../shared's KWT-1 file made here,
truncated or with one constant or operator changed, and a file that is not
TFLite at all. Skips (77) without ../shared or python3-flatbuffers.

Usage: PYTHONPATH=SOURCE_ROOT/models convert_kwt_test.py SOURCE_ROOT
"""

import os
import struct
import sys
import tempfile

SKIP = 77


def main():
    source_root = sys.argv[1]
    tflite = os.path.join(os.path.dirname(os.path.abspath(source_root)), "shared", "data",
                          "kwt1", "kwt1_non_stream.tflite")
    try:
        import flatbuffers  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        print("SKIPPED: python3-flatbuffers is not installed (tools/setup.sh installs it)")
        return SKIP
    if not os.path.isfile(tflite):
        print(f"SKIPPED: no {tflite}")
        return SKIP
    from tinyenc_convert.kwt_tflite import convert  # pylint: disable=import-outside-toplevel

    original = open(tflite, "rb").read()
    gelu = struct.pack("<f", 0.044715)
    eps = struct.pack("<f", 1e-12)
    cases = [
        ("truncated", original[:len(original) // 2], "damaged TFLite flatbuffer"),
        ("not TFLite", b"GGUF\x03\x00\x00\x00" + bytes(100), "not a TFLite file"),
        ("GELU coefficient", original.replace(gelu, struct.pack("<f", 0.05), 1),
         "the GELU cubic coefficient"),
        ("log floor", original.replace(eps, struct.pack("<f", -1.0), 1), "log floor"),
    ]
    # One entry of the DFT matrices, cos(2 pi / 512) as float32, moved by
    # 1e-5: no longer a DFT (the tolerance is 1e-7).
    entry = struct.pack("<f", 0.99992470183914454)
    dft = original.find(entry)
    damaged = bytearray(original)
    damaged[dft:dft + 4] = struct.pack("<f", struct.unpack("<f", entry)[0] + 1e-5)
    cases.append(("DFT matrix", bytes(damaged), "not a 512-point DFT"))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.gguf")
        for name, data, expected in cases:
            path = os.path.join(tmp, "model.tflite")
            with open(path, "wb") as f:
                f.write(data)
            try:
                convert(path, out, "f32")
                message = "converted"
            except ValueError as error:
                message = str(error)
            ok = expected in message and not os.path.exists(out)
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {message}")
            failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
