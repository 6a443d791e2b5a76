"""ggml weight types in numpy: F16 helpers, the Q8_0 / Q4_0 quantizers and
tinyenc's per-row I8 quantizer.

The quantizers write the same bytes as llama.cpp's reference quantizer
(docs/FORMAT.md, GGUF.md): every step is the float32 operation llama.cpp
performs, so numpy must never silently widen to float64 here. Inputs are
flattened; their size must be a multiple of the 32-value block, so a whole
matrix whose rows are block multiples quantizes in one call, row after row.
"""

import numpy as np

F32 = np.float32
BLOCK = 32

TYPE_F32, TYPE_F16, TYPE_Q4_0, TYPE_Q8_0, TYPE_I8 = 0, 1, 2, 8, 24
TYPE_NAMES = {TYPE_F32: "F32", TYPE_F16: "F16", TYPE_Q4_0: "Q4_0", TYPE_Q8_0: "Q8_0",
              TYPE_I8: "I8"}
# (values per block, bytes per block)
BLOCK_LAYOUT = {TYPE_F32: (1, 4), TYPE_F16: (1, 2), TYPE_Q4_0: (BLOCK, 18), TYPE_Q8_0: (BLOCK, 34),
                TYPE_I8: (1, 1)}


def tensor_bytes(type_id, value_count):
    values, nbytes = BLOCK_LAYOUT[type_id]
    if value_count % values:
        raise ValueError(f"{TYPE_NAMES[type_id]} needs a multiple of {values} values")
    return value_count // values * nbytes


def f16_bits(values_f32):
    """IEEE half bit patterns, round to nearest even (ggml's FP32_TO_FP16)."""
    return np.asarray(values_f32, dtype=F32).astype(np.float16).view(np.uint16)


def f16_value(bits):
    return np.asarray(bits, dtype=np.uint16).view(np.float16).astype(np.float64)


def _blocks(x):
    x = np.asarray(x, dtype=F32).ravel()
    if x.size % BLOCK:
        raise ValueError(f"quantizing needs a multiple of {BLOCK} values, got {x.size}")
    return x.reshape(-1, BLOCK)


def _inverse(d):
    """llama.cpp's id = 1/d in float32, 0 where d = 0."""
    inv = np.zeros_like(d)
    np.divide(F32(1), d, out=inv, where=d != 0)
    return inv


def _round_half_away(v_f32):
    # |v| + 0.5 in float64 is exact for |v| < 2^28, so floor gives roundf().
    a = np.abs(v_f32.astype(np.float64))
    return np.sign(v_f32) * np.floor(a + 0.5)


def _pack(d, payload):
    """Blocks of {f16 d; payload bytes} as one flat uint8 array."""
    scale_bytes = f16_bits(d).view(np.uint8).reshape(-1, 2)
    return np.concatenate([scale_bytes, payload.view(np.uint8)], axis=1).ravel()


def quantize_q8_0(x):
    blocks = _blocks(x)
    amax = np.max(np.abs(blocks), axis=1)
    d = amax / F32(127)
    codes = _round_half_away(blocks * _inverse(d)[:, None]).astype(np.int8)
    return _pack(d, codes)


def quantize_q4_0(x):
    blocks = _blocks(x)
    # argmax returns the first of equal magnitudes, as llama.cpp's strict '>' scan.
    signed_max = blocks[np.arange(len(blocks)), np.argmax(np.abs(blocks), axis=1)]
    d = signed_max / F32(-8)
    shifted = blocks * _inverse(d)[:, None] + F32(8.5)
    assert shifted.dtype == F32
    nibbles = np.minimum(np.trunc(shifted), 15).astype(np.uint8)
    return _pack(d, nibbles[:, :16] | (nibbles[:, 16:] << 4))


def quantize_i8_rows(x):
    """Per-row int8 (docs/FORMAT.md): of the scales d = amax * r / 127 for
    r = 0.500, 0.505, ..., 1.000 (float32), each row takes the one whose codes
    clip(round(x * (1/d)), -127, 127), ties away from zero, have the least
    squared error (the first on ties). Returns (codes as a flat uint8 array,
    d per row as float32). simd/quantize.cc's QuantizeRowI8 writes the same."""
    rows = np.asarray(x, dtype=F32).reshape(-1, np.shape(x)[-1])
    amax = np.max(np.abs(rows), axis=1)
    best_d = np.zeros(len(rows), dtype=F32)
    best_error = np.full(len(rows), np.inf)
    for step in range(100, 201):
        d = amax * (F32(step) / F32(200)) / F32(127)
        codes = np.clip(_round_half_away(rows * _inverse(d)[:, None]), -127, 127)
        error = ((codes * d.astype(np.float64)[:, None] - rows) ** 2).sum(axis=1)
        better = error < best_error
        best_error[better] = error[better]
        best_d[better] = d[better]
    codes = np.clip(_round_half_away(rows * _inverse(best_d)[:, None]), -127, 127).astype(np.int8)
    return codes.view(np.uint8).ravel(), best_d


def quantize(type_id, x):
    """Raw ggml bytes of x (row-major) in type_id."""
    if type_id == TYPE_F32:
        return np.ascontiguousarray(x, dtype="<f4").view(np.uint8).ravel()
    if type_id == TYPE_F16:
        return f16_bits(x).astype("<u2").view(np.uint8).ravel()
    if type_id == TYPE_Q8_0:
        return quantize_q8_0(x)
    if type_id == TYPE_Q4_0:
        return quantize_q4_0(x)
    raise ValueError(f"unsupported ggml type {type_id}")


def dequantize(type_id, data, count):
    """float64 values; each is exact in float32 (codes <= 127 times a half)."""
    raw = np.frombuffer(bytes(data), dtype=np.uint8)
    if type_id == TYPE_Q8_0:
        blocks = raw.reshape(-1, 34)[: count // BLOCK]
        codes = blocks[:, 2:].copy().view(np.int8).astype(np.float64)
    elif type_id == TYPE_Q4_0:
        blocks = raw.reshape(-1, 18)[: count // BLOCK]
        qs = blocks[:, 2:].astype(np.int64)
        codes = (np.concatenate([qs & 0xF, qs >> 4], axis=1) - 8).astype(np.float64)
    else:
        raise ValueError(f"unsupported block type {type_id}")
    d = f16_value(blocks[:, :2].copy().view(np.uint16))
    return (codes * d).ravel()
