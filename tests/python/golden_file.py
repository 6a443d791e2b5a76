"""Reads the golden files the C++ tests read (format: tests/golden.h), and
the bounds tests/models/encoder_golden_test.cc holds the encoder to."""
import pathlib
import re

import numpy as np

from conftest import SOURCE_ROOT


def read_golden(relative_path):
    """{name: array} of a golden file; f32 arrays as float32, as the C++
    tests parse them, integer kinds as int64."""
    arrays = {}
    for line in (SOURCE_ROOT / relative_path).read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, kind, count, *values = line.split()
        assert len(values) == int(count), f"{name}: {len(values)} values, header says {count}"
        dtype = {"f32": np.float32, "f64": np.float64}.get(kind, np.int64)
        arrays[name] = np.array(values, dtype=dtype)
    return arrays


def golden_cases(arrays, group):
    """Case names of `group`, in file order."""
    cases = []
    for name in arrays:
        parts = name.split(".")
        if parts[0] == group and parts[1] not in cases:
            cases.append(parts[1])
    return cases


def encoder_bounds():
    """{weight type: (max_error, token_cosine, pooled_cosine)}, read from the
    C++ test's constants so that both tests hold the same bounds."""
    source = (SOURCE_ROOT / "tests/models/encoder_golden_test.cc").read_text()
    constants = dict(re.findall(r"constexpr Bounds k(\w+)Bounds = \{([^}]*)\};", source))
    names = {"f32": "F32", "f16": "F16", "q8_0": "Q8", "q4_0": "Q4", "i8": "I8"}
    bounds = {t: tuple(float(v) for v in constants[n].split(",")) for t, n in names.items()}
    assert all(len(b) == 3 for b in bounds.values()), bounds
    return bounds


def agreement(got, want):
    """(max |got - want| / max(1, |want|), min row cosine), as the C++
    Compare: any NaN or infinity makes both fail every bound (numpy's max and
    min pass a NaN on, unlike std::max and std::min)."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    error = np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)))
    dot = np.sum(got * want, axis=1)
    norms = np.sqrt(np.sum(got * got, axis=1) * np.sum(want * want, axis=1))
    both_zero = norms == 0
    with np.errstate(invalid="ignore"):  # a NaN cosine is the intended failure
        cosine = np.where(both_zero, 1.0, dot / np.where(both_zero, 1.0, norms))
    return error, np.min(cosine)
