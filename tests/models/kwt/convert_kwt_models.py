#!/usr/bin/python3
"""Build step for the KWT tests: converts ../shared/data/kwt1's TFLite file to
kwt-<outtype>.gguf in OUT_DIR, every outtype, when the file is on this
machine, and writes STAMP saying where it was found or why not (the tests
then skip and say so).

Usage: PYTHONPATH=SOURCE_ROOT/models convert_kwt_models.py SOURCE_ROOT OUT_DIR STAMP

The step runs on every build (../shared can appear after configuring) but
converts only when a model is missing or older than the TFLite file or the
converter's code.
"""

import os
import sys

from tinyenc_convert.build_step import convert_stale
from tinyenc_convert.kwt_tflite import convert

OUTTYPES = ("f32", "f16", "q8_0", "q4_0", "i8")
TFLITE = os.path.join("data", "kwt1", "kwt1_non_stream.tflite")


def main():
    source_root, out_dir, stamp = sys.argv[1:4]
    tflite = os.path.join(os.path.dirname(os.path.abspath(source_root)), "shared", TFLITE)
    try:
        import flatbuffers  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        message = "absent: python3-flatbuffers is not installed (tools/setup.sh installs it)"
    else:
        message = "absent: no " + tflite
    if os.path.isfile(tflite) and not message.startswith("absent: python3"):
        convert_stale(convert, tflite, [tflite], out_dir, "kwt", OUTTYPES)
        message = "converted from " + tflite
    with open(stamp, "w") as f:
        f.write(message + "\n")


if __name__ == "__main__":
    main()
