#!/usr/bin/python3
"""Writes kernels.golden: reference values for tinyenc's scalar kernels.

Regenerate (from the repository root, with Debian's python3-numpy and
python3-torch; the python3 first on PATH may lack them; PYTHONPATH finds the
weight quantizers, models/tinyenc_convert/ggml_quants.py):

    PYTHONPATH=models /usr/bin/python3 tests/simd/golden/make_golden.py

The values come from numpy (float32 arithmetic where a rule is defined in
float32, float64 otherwise) and PyTorch in float64, never from tinyenc, so
tests/simd/reference_golden_test.cc and tests/simd/quantize_test.cc check
tinyenc against code none of us wrote. Seeds are fixed; numpy does not promise
the same random stream across versions, so a regenerated file may hold other
inputs, but every expected value is still derived from its own inputs.

Format: '#' lines are comments; every other line is one array,
    <group>.<case>.<field> <kind> <count> <v0> <v1> ...
kind is f32 (shortest decimal that reads back as the same float32), f64
(Python repr, exact round trip), or i8 / u8 / u16 / u32 / i64 (decimal
integers). Block data (u8) is the exact ggml block bytes, little-endian.

Groups:
  q8, q4   weight quantizers (GGUF.md rules, llama.cpp's float32 arithmetic):
           .x input row, .blocks expected bytes, .deq DequantizeRow output.
  act      activation quantizer of quantize.h, per block of 32:
           .x, .scale (f32 per block), .codes (i8).
  f16row   DequantizeRow for F16: .bits (u16), .deq.
  matmul   MatMulRef. .shape = [M, K, N, type id, has_bias]; .x (M x K),
           weights as .w (f32, N x K), .w (u16 halves) or .w (u8 blocks or
           I8 codes, with .scale, f32 per row, for I8), .bias, .y (f64,
           M x N). For quantized types .y uses the activations quantized by
           the documented scheme (exactly, in float64).
  softmax  SoftmaxRef. .shape = [rows, cols, has_mask]; .x, .scale, .mask,
           .y (f64). Rows whose every logit is -inf expect zeros (contract).
  layernorm LayerNormRef. .shape = [rows, cols]; .x, .gamma, .beta, .eps, .y.
  act_fn   .x with .gelu_erf, .gelu_tanh (torch, float64, written without
           F.gelu's cancellation for x < -5), .relu, .erf (math.erf).
  attn     AttentionRef on a fused, padded QKV buffer. .shape = [seq, heads,
           head_dim, row stride of qkv, q offset, k offset, v offset,
           out stride]; .qkv, .scale, .y (f64, dense seq x heads*head_dim).
  meanpool MeanPoolRef. .shape = [rows, cols]; .x, .y.
  l2norm   L2NormalizeRef: .x, .y.
  f16      scalar converters: .f32_in -> .f16_out (numpy astype(float16),
           round to nearest even), .f16_in -> .f32_bits (numpy astype(float32)).
"""

import math
import os

import numpy as np
import torch
import torch.nn.functional as F

from tinyenc_convert.ggml_quants import (BLOCK, F32, TYPE_F16, TYPE_F32, TYPE_I8, TYPE_Q4_0,
                                         TYPE_Q8_0, dequantize, f16_bits, f16_value,
                                         quantize_i8_rows, quantize_q4_0, quantize_q8_0)

lines = []


def fmt_f32(v):
    return str(F32(v))  # numpy prints the shortest round-tripping float32


def emit(name, kind, values):
    values = np.asarray(values).ravel()
    if kind == "f32":
        text = [fmt_f32(v) for v in values.astype(F32)]
    elif kind == "f64":
        text = [repr(float(v)) for v in values.astype(np.float64)]
    else:
        text = [str(int(v)) for v in values]
    lines.append(" ".join([name, kind, str(len(text))] + text))


# ---- weight and activation quantizers -------------------------------------
# The weight quantizers live in models/tinyenc_convert/ggml_quants.py, shared
# with the converters; the activation scheme below is tinyenc's own (quantize.h).


def quantize_activations(x):
    """quantize.h's activation scheme: (per-block f32 scales, i8 codes)."""
    scales, codes = [], []
    for blk in x.reshape(-1, BLOCK):
        amax = np.max(np.abs(blk))
        mult = F32(F32(127) / amax) if amax != 0 else F32(0)
        codes.append(np.rint((blk * mult).astype(F32)).astype(np.int8))
        scales.append(F32(amax / F32(127)))
    return np.array(scales, dtype=F32), np.concatenate(codes)


def dequantize_activations(x):
    scales, codes = quantize_activations(x)
    return codes.astype(np.float64) * np.repeat(scales.astype(np.float64), BLOCK)


def row_activations(x):
    """I8 weights' activation scheme (matmul.h): one f32 scale per row, codes
    in [-L, L], L = min(32767, (2^31 - 1) // (127 K)); dequantized, exactly."""
    levels = min(32767, (2**31 - 1) // (127 * x.size))
    amax = np.max(np.abs(x))
    mult = F32(F32(levels) / amax) if amax != 0 else F32(0)
    codes = np.rint((x * mult).astype(F32))
    return codes.astype(np.float64) * float(F32(amax / F32(levels)))


def special_blocks():
    """Blocks that hit each rule's edges."""
    blocks = []
    blocks.append(np.zeros(BLOCK))  # d = 0: codes 0 (Q8_0) / 8 (Q4_0)
    huge = np.random.default_rng(11).normal(size=BLOCK)
    huge[5] = 5e4  # one huge value flushes the rest to code 0
    blocks.append(huge)
    # amax 127 makes d = 1 and 1/d = 1 exactly: x * id = k + 0.5 is an exact
    # tie (Q8_0 rounds it away from zero; activations to even).
    ties = np.array([(k % 9) - 4.5 for k in range(BLOCK)])
    ties[0], ties[1] = 127.0, -126.5
    blocks.append(ties)
    # Largest magnitude -8 (negative, not first): Q4_0 d = 1, so half steps
    # are exact ties of x + 8 that truncation rounds up, every nibble occurs,
    # and x >= 7.5 reaches 16 before the clamp to 15.
    neg = np.concatenate([np.arange(7.5, -7.6, -0.5), [-8.0]])
    neg[[7, 31]] = neg[[31, 7]]
    blocks.append(neg)
    # Largest magnitude +8: d = -1, so x = -7.5 is the one clamped to 15.
    blocks.append(-np.linspace(-8.0, 7.5, BLOCK))
    # Equal magnitudes of both signs: Q4_0 keeps the first one it meets.
    first = np.random.default_rng(12).uniform(-2, 2, BLOCK)
    first[3], first[20] = -3.0, 3.0
    blocks.append(first)
    tiny = np.random.default_rng(13).normal(size=BLOCK) * 1e-5  # subnormal half d
    blocks.append(tiny)
    blocks.append(np.random.default_rng(14).normal(size=BLOCK) * 1e-8)  # d -> half 0
    return np.concatenate(blocks).astype(F32)


def quant_cases():
    rows = {
        "normal": np.random.default_rng(1).normal(size=4 * BLOCK).astype(F32),
        "uniform": np.random.default_rng(2).uniform(-3, 3, 4 * BLOCK).astype(F32),
        "scaled": (np.random.default_rng(3).normal(size=2 * BLOCK) * 300).astype(F32),
        "special": special_blocks(),
    }
    lines.append("# weight quantizers, activation quantizer")
    for name, x in rows.items():
        for group, quant, type_id in (("q8", quantize_q8_0, TYPE_Q8_0),
                                      ("q4", quantize_q4_0, TYPE_Q4_0)):
            blocks = quant(x)
            deq = dequantize(type_id, blocks, x.size)
            # Codes of at most 8 bits times a half are exact in float32.
            assert np.all(deq.astype(F32).astype(np.float64) == deq)
            emit(f"{group}.{name}.x", "f32", x)
            emit(f"{group}.{name}.blocks", "u8", blocks)
            emit(f"{group}.{name}.deq", "f32", deq)
        scales, codes = quantize_activations(x)
        emit(f"act.{name}.x", "f32", x)
        emit(f"act.{name}.scale", "f32", scales)
        emit(f"act.{name}.codes", "i8", codes)
    halves = np.random.default_rng(4).integers(0, 0x7C00, 64).astype(np.uint16)
    halves |= (np.arange(64) % 2 << 15).astype(np.uint16)
    halves[:4] = [0x0001, 0x83FF, 0x7BFF, 0x8000]
    emit("f16row.a.bits", "u16", halves)
    emit("f16row.a.deq", "f32", f16_value(halves))


# ---- MatMulRef --------------------------------------------------------------


def matmul_cases():
    lines.append("# MatMulRef")
    shapes = [(1, 32, 5, True), (3, 96, 6, False), (4, 64, 4, True), (2, 128, 5, True),
              (5, 32, 1, False)]
    odd_k = [(2, 13, 3, True), (1, 7, 6, False)]  # K not a block multiple
    seed = 100
    for type_id, tname in ((TYPE_F32, "f32"), (TYPE_F16, "f16"), (TYPE_Q8_0, "q8_0"),
                           (TYPE_Q4_0, "q4_0"), (TYPE_I8, "i8")):
        case_shapes = shapes + (odd_k if type_id in (TYPE_F32, TYPE_F16, TYPE_I8) else [])
        if type_id == TYPE_I8:
            case_shapes = case_shapes + [(2, 1536, 3, True)]  # fewer activation levels
        for m, k, n, has_bias in case_shapes:
            seed += 1
            rng = np.random.default_rng(seed)
            x = rng.normal(size=(m, k)).astype(F32)
            w32 = (rng.normal(size=(n, k)) * 0.5).astype(F32)
            bias = rng.normal(size=n).astype(F32)
            name = f"matmul.{tname}_m{m}_k{k}_n{n}{'_bias' if has_bias else ''}"
            emit(name + ".shape", "i64", [m, k, n, type_id, int(has_bias)])
            emit(name + ".x", "f32", x)
            if type_id == TYPE_F32:
                emit(name + ".w", "f32", w32)
                w = w32.astype(np.float64)
                xa = x.astype(np.float64)
            elif type_id == TYPE_F16:
                bits = f16_bits(w32)
                emit(name + ".w", "u16", bits)
                w = f16_value(bits).reshape(n, k)
                xa = x.astype(np.float64)
            elif type_id == TYPE_I8:
                codes, scales = quantize_i8_rows(w32)
                emit(name + ".w", "u8", codes)
                emit(name + ".scale", "f32", scales)
                w = codes.view(np.int8).reshape(n, k).astype(np.float64) * scales.astype(np.float64)[:, None]
                xa = np.stack([row_activations(row) for row in x])
            else:
                quant = quantize_q8_0 if type_id == TYPE_Q8_0 else quantize_q4_0
                blocks = np.concatenate([quant(row) for row in w32])
                emit(name + ".w", "u8", blocks)
                w = np.stack([dequantize(type_id, quant(row), k) for row in w32])
                xa = np.stack([dequantize_activations(row) for row in x])
            y = xa @ w.T
            if has_bias:
                emit(name + ".bias", "f32", bias)
                y = y + bias.astype(np.float64)
            emit(name + ".y", "f64", y)


# ---- softmax, layer norm, activations --------------------------------------


def softmax_cases():
    lines.append("# SoftmaxRef")
    ninf = -np.inf
    cases = []
    rng = np.random.default_rng(200)
    cases.append(("plain", rng.normal(size=(3, 7)) * 3, 1.0, None))
    x = rng.normal(size=(4, 33)) * 4
    mask = np.zeros(33)
    mask[[0, 5, 31, 32]] = ninf
    cases.append(("masked", x, 0.125, mask))
    x = rng.normal(size=(3, 16)) * 2
    x[1, :] = ninf  # every logit -inf: zeros, not NaN
    x[2, :3] = ninf
    mask = np.zeros(16)
    mask[7] = ninf
    mask[8] = -1.5  # finite additive bias
    cases.append(("neginf_rows", x, float(F32(1 / math.sqrt(48))), mask))
    cases.append(("all_masked", rng.normal(size=(2, 5)), 1.0, np.full(5, ninf)))
    x = rng.normal(size=(2, 100)) * 30 + 80  # large logits: needs max subtraction
    cases.append(("large", x, 1.0, None))
    for name, x, scale, mask in cases:
        x = x.astype(F32)
        rows, cols = x.shape
        prefix = f"softmax.{name}"
        emit(prefix + ".shape", "i64", [rows, cols, int(mask is not None)])
        emit(prefix + ".x", "f32", x)
        emit(prefix + ".scale", "f32", [scale])
        z = torch.from_numpy(x.astype(np.float64)) * float(F32(scale))
        if mask is not None:
            mask = mask.astype(F32)
            emit(prefix + ".mask", "f32", mask)
            z = z + torch.from_numpy(mask.astype(np.float64))
        y = torch.softmax(z, dim=-1).numpy()
        dead = np.all(np.isneginf(z.numpy()), axis=1)
        assert np.all(np.isnan(y[dead]))  # torch gives NaN; the contract says 0
        y[dead] = 0.0
        emit(prefix + ".y", "f64", y)


def layernorm_cases():
    lines.append("# LayerNormRef")
    rng = np.random.default_rng(300)
    cases = [
        ("bert", rng.normal(size=(3, 32)), 1e-12),
        ("offset", rng.normal(size=(2, 128)) + 1e4, 1e-5),  # large common offset
        ("offset_tiny_eps", rng.normal(size=(2, 64)) * 0.01 - 1e4, 1e-12),
        ("odd", rng.normal(size=(4, 7)) * 5, 1e-5),
        ("constant", np.full((1, 16), 3.25), 1e-5),  # zero variance: out = beta
    ]
    for name, x, eps in cases:
        x = x.astype(F32)
        rows, cols = x.shape
        gamma = (1 + 0.1 * rng.normal(size=cols)).astype(F32)
        beta = (0.1 * rng.normal(size=cols)).astype(F32)
        eps32 = F32(eps)
        x64 = x.astype(np.float64)
        y = F.layer_norm(torch.from_numpy(x64), (cols,), torch.from_numpy(gamma.astype(np.float64)),
                         torch.from_numpy(beta.astype(np.float64)), eps=float(eps32)).numpy()
        # torch's float64 kernel takes the variance in one pass, which loses
        # ~1e-8 relative when the offset is 1e6 standard deviations; the
        # two-pass float64 value is the golden and torch must agree with it.
        mean = x64.mean(axis=1, keepdims=True)
        var = ((x64 - mean) ** 2).mean(axis=1, keepdims=True)
        y_torch = y
        y = (x64 - mean) / np.sqrt(var + float(eps32)) * gamma + beta
        assert np.max(np.abs(y - y_torch)) < 1e-8
        prefix = f"layernorm.{name}"
        emit(prefix + ".shape", "i64", [rows, cols])
        emit(prefix + ".x", "f32", x)
        emit(prefix + ".gamma", "f32", gamma)
        emit(prefix + ".beta", "f32", beta)
        emit(prefix + ".eps", "f32", [eps32])
        emit(prefix + ".y", "f64", y)


def activation_cases():
    lines.append("# GeluErfRef, GeluTanhRef, ReluRef, Erf")
    rng = np.random.default_rng(400)
    specials = [0.0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8, 3e-4, 0.5, -0.5, 0.8427, 1.0, -1.0,
                2.5, 3.9, 4.0, -4.0, 5.9, 9.0, -9.0, 10.0, 30.0, -30.0, 1e10, -1e10,
                3.4e38, -3.4e38, 1e-40, -1e-40]
    x = np.concatenate([np.linspace(-10, 10, 301), rng.normal(size=200) * 2,
                        np.array(specials)]).astype(F32)
    x64 = torch.from_numpy(x.astype(np.float64))
    # F.gelu evaluates 1 + erf(.) and 1 + tanh(.), which cancel to nothing
    # for x < -5 (gelu_erf(-9) comes out 0, not -1e-18). The goldens use the
    # cancellation-free equivalents 1 + erf(z) = erfc(-z) and
    # (1 + tanh(u)) / 2 = sigmoid(2u), still in torch, and must agree with
    # F.gelu to its own absolute accuracy.
    gelu_erf = 0.5 * x64 * torch.erfc(-x64 * math.sqrt(0.5))
    u = math.sqrt(2 / math.pi) * (x64 + 0.044715 * x64 ** 3)
    gelu_tanh = x64 * torch.sigmoid(2 * u)
    assert torch.max(torch.abs(gelu_erf - F.gelu(x64))) < 1e-14
    assert torch.max(torch.abs(gelu_tanh - F.gelu(x64, approximate="tanh"))) < 1e-14
    emit("act_fn.main.x", "f32", x)
    emit("act_fn.main.gelu_erf", "f64", gelu_erf.numpy())
    emit("act_fn.main.gelu_tanh", "f64", gelu_tanh.numpy())
    emit("act_fn.main.relu", "f64", np.maximum(x.astype(np.float64), 0.0))
    emit("act_fn.main.erf", "f64", [math.erf(float(v)) for v in x])


def attention_cases():
    lines.append("# AttentionRef")
    cases = [("h3_d12", 5, 3, 12), ("h2_d20", 7, 2, 20), ("h4_d6", 4, 4, 6), ("seq1", 1, 2, 8),
             ("h8_d5", 6, 8, 5)]
    rng = np.random.default_rng(500)
    for name, seq, heads, head_dim in cases:
        hidden = heads * head_dim
        stride = 3 * hidden + 2  # fused QKV rows with padding
        qkv = (rng.normal(size=(seq, stride)) * 1.5).astype(F32)
        q_off, k_off, v_off = 0, hidden + 1, 2 * hidden + 2
        scale = F32(1.0 / math.sqrt(head_dim))
        prefix = f"attn.{name}"
        emit(prefix + ".shape", "i64",
             [seq, heads, head_dim, stride, q_off, k_off, v_off, hidden + 3])
        emit(prefix + ".qkv", "f32", qkv)
        emit(prefix + ".scale", "f32", [scale])
        t = torch.from_numpy(qkv.astype(np.float64))
        q = t[:, q_off:q_off + hidden].reshape(seq, heads, head_dim).transpose(0, 1)
        k = t[:, k_off:k_off + hidden].reshape(seq, heads, head_dim).transpose(0, 1)
        v = t[:, v_off:v_off + hidden].reshape(seq, heads, head_dim).transpose(0, 1)
        scores = q @ k.transpose(1, 2) * float(scale)
        probs = torch.softmax(scores, dim=-1)
        y = (probs @ v).transpose(0, 1).reshape(seq, hidden).numpy()
        emit(prefix + ".y", "f64", y)


def pool_norm_cases():
    lines.append("# MeanPoolRef, L2NormalizeRef")
    rng = np.random.default_rng(600)
    cases = [("rows5", rng.normal(size=(5, 33)) * 10), ("rows4", rng.normal(size=(4, 16))),
             ("offset", rng.normal(size=(3, 8)) + 100), ("rows3", rng.normal(size=(3, 8))),
             ("row1", np.array([[0.5, -2.0, 7.25]]))]
    for name, x in cases:
        x = x.astype(F32)
        rows, cols = x.shape
        prefix = f"meanpool.{name}"
        emit(prefix + ".shape", "i64", [rows, cols])
        emit(prefix + ".x", "f32", x)
        emit(prefix + ".y", "f64", torch.from_numpy(x.astype(np.float64)).mean(dim=0).numpy())
    eps = float(F32(1e-12))  # kL2NormalizeMinNorm is a float
    cases = [("normal", rng.normal(size=128)), ("one", np.array([-3.5])),
             ("large", rng.normal(size=100) * 1e3), ("below_eps", rng.normal(size=5) * 1e-14),
             ("zeros", np.zeros(8))]
    for name, x in cases:
        x = x.astype(F32)
        y = F.normalize(torch.from_numpy(x.astype(np.float64)), dim=0, eps=eps).numpy()
        emit(f"l2norm.{name}.x", "f32", x)
        emit(f"l2norm.{name}.y", "f64", y)


def f16_cases():
    lines.append("# scalar f16 converters")
    rng = np.random.default_rng(700)
    parts = [rng.uniform(-70000, 70000, 500), rng.uniform(-1e-4, 1e-4, 300),
             rng.uniform(-1.2e-7, 1.2e-7, 200)]  # around and below the half subnormals
    # Exact midpoints between neighbouring halves (normal and subnormal):
    # 12 significant bits, exact in float32, so rounding sees a true tie.
    h = rng.integers(0, 0x7BFF, 500).astype(np.uint16)
    h[:40] = np.arange(40)  # subnormal neighbours, both parities
    mid = (f16_value(h) + f16_value(h + 1)) / 2
    sign = np.where(np.arange(h.size) % 2 == 0, 1.0, -1.0)
    parts.append(mid * sign)
    parts.append(np.array([0.0, -0.0, 65504.0, 65519.99, 65520.0, -65520.0, 1e5, -1e38, np.inf,
                           -np.inf, 1e-45, 2.9802322e-08, 5.9604645e-08, 8.940697e-08,
                           6.1035156e-05, 6.097555e-05, 1.0004883, 1.0014648]))
    f32_in = np.concatenate(parts).astype(F32)
    assert np.all(mid.astype(F32).astype(np.float64) == mid)
    emit("f16.conv.f32_in", "f32", f32_in)
    emit("f16.conv.f16_out", "u16", f16_bits(f32_in))
    halves = np.concatenate([np.arange(0, 0x400, 7), rng.integers(0, 0x10000, 600),
                             [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x7BFF, 0xFBFF,
                              0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFFFF]]).astype(np.uint16)
    emit("f16.conv.f16_in", "u16", halves)
    emit("f16.conv.f32_bits", "u32", halves.view(np.float16).astype(F32).view(np.uint32))


def main():
    np.seterr(all="ignore")  # -inf logits, overflow to inf halves are intended
    lines.append("# Generated by tests/simd/golden/make_golden.py; do not edit by hand.")
    lines.append(f"# numpy {np.__version__}, torch {torch.__version__}")
    quant_cases()
    matmul_cases()
    softmax_cases()
    layernorm_cases()
    activation_cases()
    attention_cases()
    pool_norm_cases()
    f16_cases()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels.golden")
    with open(path, "w", encoding="ascii") as out:
        out.write("\n".join(lines) + "\n")
    print(f"wrote {path}: {len(lines)} lines, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
