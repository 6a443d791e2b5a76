#!/usr/bin/env python3
"""The converters' quantizers (models/tinyenc_convert/ggml_quants.py) against
llama.cpp's own C quantizer: the blocks in ../shared/data/ggml-quant (see its
README). Every byte must match. Exits 77 (meson's SKIP) and says why when
../shared is absent.

Usage (meson test runs it): ggml_quants_test.py SOURCE_ROOT
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models"))
from tinyenc_convert import ggml_quants  # noqa: E402

ROWS, COLS = 32, 256


def main():
    folder = os.path.join(sys.argv[1], "..", "shared", "data", "ggml-quant")
    paths = {name: os.path.join(folder, name) for name in ("rows.f32", "rows.q8_0", "rows.q4_0")}
    missing = [p for p in paths.values() if not os.path.isfile(p)]
    if missing:
        print(f"SKIPPED: {', '.join(missing)} not here (llama.cpp's reference blocks, ../shared)")
        return 77
    x = np.fromfile(paths["rows.f32"], dtype="<f4").reshape(ROWS, COLS)
    failures = 0
    for type_id, name, block_bytes in ((ggml_quants.TYPE_Q8_0, "rows.q8_0", 34),
                                       (ggml_quants.TYPE_Q4_0, "rows.q4_0", 18)):
        want = np.fromfile(paths[name], dtype=np.uint8).reshape(ROWS, -1)
        assert want.shape[1] == COLS // 32 * block_bytes, want.shape
        equal = 0
        for r in range(ROWS):
            got = np.asarray(ggml_quants.quantize(type_id, x[r]), dtype=np.uint8)
            if got.shape == want[r].shape and np.array_equal(got, want[r]):
                equal += 1
                continue
            failures += 1
            diff = np.flatnonzero(got != want[r]) if got.shape == want[r].shape else [0]
            first = int(diff[0])
            print(f"FAIL {name} row {r}: first differing byte {first} (block "
                  f"{first // block_bytes}): got {got[first]}, llama.cpp {want[r][first]}")
        print(f"{name}: {equal} of {ROWS} rows byte-identical to llama.cpp")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
