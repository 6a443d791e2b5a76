#!/usr/bin/python3
"""Build step for the USE-lite tests: converts the npm package's model to
use-f32.gguf, use-f16.gguf, use-q8_0.gguf and use-i8.gguf in OUT_DIR when the package is
on this machine, and writes STAMP saying where it was found (or that it was
not: the tests then skip and say why).

Usage: PYTHONPATH=SOURCE_ROOT/models convert_use_models.py SOURCE_ROOT OUT_DIR STAMP

The package (28 MB of weights) is not in the repository and CI has no
network, so it is looked for where tools/fetch-use-model.sh installs it,
SOURCE_ROOT/.cache/npm-use, or at $TINYENC_USE_DIST (use_lite.find_dist).
The step runs on every build (the package can appear after configuring) but
converts only when a model is missing or older than its inputs or than the
converter's code.
"""

import os
import sys

from tinyenc_convert.build_step import convert_stale
from tinyenc_convert.use_lite import convert, find_dist

OUTTYPES = ("f32", "f16", "q8_0", "i8")


def main():
    source_root, out_dir, stamp = sys.argv[1:4]
    dist, candidates = find_dist(source_root)
    if dist is None:
        message = "absent: no model.json in " + " or ".join(c for c in candidates if c)
    else:
        convert_stale(convert, dist, [os.path.join(dist, name) for name in os.listdir(dist)],
                      out_dir, "use", OUTTYPES)
        message = "converted from " + dist
    with open(stamp, "w") as f:
        f.write(message + "\n")


if __name__ == "__main__":
    main()
