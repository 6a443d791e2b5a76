"""Converts the Keyword Transformer (KWT, ARM-software/keyword-transformer) from
its TensorFlow Lite file into a GGUF file for tinyenc's encoder with its audio
front end (docs/FORMAT.md, "Converting KWT from TFLite").

Usage: convert_tflite_kwt.py MODEL.tflite -o OUT.gguf --outtype f32|f16|q8_0|q4_0|i8

The graph is walked operator by operator, in the order TFLite runs it, and
every operator must be the one this graph family has at that place, wired
to the tensors it must read: the MFCC front end (framing, window, the DFT
as two matrix products, magnitude, mel, log, DCT), the input projection, the
class token, the positions, post-LN layers (decomposed LayerNorm, tanh GELU,
one or more heads) and the dense head on the class token. Every constant is
taken from the file; the DFT matrices are not stored but checked to be the
cos/sin DFT of one length, which the runtime computes with an FFT. Anything
else is refused with the operator it stopped at.

Needs numpy and python3-flatbuffers (Debian).
"""

import argparse
import dataclasses
import math

import numpy as np

from .encoder_gguf import POOLING_TYPES, EncoderParams, run_writer, write_encoder_gguf
from .ggml_quants import TYPE_F32, quantize
from .gguf_types import ValueType
from .tflite_reader import read_graph

# Speech Commands' twelve classes in the order KWT was trained with; the
# TFLite file has no label names (../shared/notes/KWT.md).
KWT_LABELS = ["_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right", "on",
              "off", "stop", "go"]
# KWT's training flags (sample_rate=16000); the file stores samples, not time.
KWT_SAMPLE_RATE = 16000
# The graph's DFT matrices are float32 roundings of cos and sin, which are
# within 6e-8 (half an ulp of 1.0) of the float64 values; KWT-1's are within
# 3.0e-8. Anything farther is another matrix.
DFT_TOLERANCE = 1e-7
CONST = object()  # an input that must be a constant; take() returns its value
COMMUTATIVE = {"ADD", "MUL", "MAXIMUM", "SQUARED_DIFFERENCE"}


class Walk:
    """A cursor over the graph's operators, which must come in the order the
    caller expects them."""

    def __init__(self, graph):
        self.graph = graph
        self.position = 0
        self.part = "the front end"

    def fail(self, what):
        op = self.graph.operators[min(self.position, len(self.graph.operators) - 1)]
        raise ValueError(f"not a KWT graph: operator {op.index} ({op.name}) in {self.part}: "
                         f"{what}")

    def take(self, name, *inputs):
        """Checks that the next operator is `name` reading `inputs` (tensor
        indices, or CONST for any constant) and has no fused activation;
        returns its output tensor and the constants read, in order."""
        if self.position >= len(self.graph.operators):
            raise ValueError(f"not a KWT graph: it ends in {self.part}, where {name} was "
                             "expected")
        op = self.graph.operators[self.position]
        if op.name != name:
            self.fail(f"{name} expected")
        actual = [t for t in op.inputs if t >= 0]
        orders = [actual, actual[::-1]] if name in COMMUTATIVE else [actual]
        for order in orders:
            constants = self._match(order, inputs)
            if constants is not None:
                break
        else:
            self.fail(f"inputs {[self.graph.tensors[t].name for t in actual]} are not the "
                      "expected ones")
        if op.fused_activation != 0 or len(op.outputs) != 1:
            self.fail("a fused activation or several outputs")
        self.position += 1
        return op.outputs[0], constants

    def _match(self, actual, expected):
        if len(actual) != len(expected):
            return None
        constants = []
        for tensor, want in zip(actual, expected):
            data = self.graph.tensors[tensor].data
            if want is CONST:
                if data is None:
                    return None
                constants.append(data)
            elif tensor != want:
                return None
        return constants

    def shape(self, tensor):
        return self.graph.tensors[tensor].shape

    def expect(self, condition, what):
        if not condition:
            self.position -= 1  # the operator just taken is the one at fault
            self.fail(what)


def check_close(walk, value, expected, what, rtol=1e-6):
    walk.expect(np.allclose(np.asarray(value, np.float64), expected, rtol=rtol, atol=0),
                f"{what} is {np.asarray(value).tolist()}, expected {expected}")


@dataclasses.dataclass
class FrontEnd:
    window_length: int
    window_stride: int
    frame_count: int
    fft_length: int
    log_epsilon: float
    window: np.ndarray  # [window_length]
    mel: np.ndarray     # [mel bins, spectrum bins]
    dct: np.ndarray     # [coefficients, mel bins]


def dft_length(walk, cos, sin):
    """The N of cos[k, n] = cos(2 pi k n / N), sin likewise (either sign)."""
    bins, samples = cos.shape
    if bins < 2 or samples < 2 or sin.shape != cos.shape:
        walk.fail(f"DFT matrices of shapes {cos.shape} and {sin.shape}")
    n = int(round(2 * math.pi / math.acos(float(np.clip(cos[1, 1], -1, 1)))))
    phase = 2 * math.pi * np.outer(np.arange(bins), np.arange(samples)) / n
    cos_error = np.abs(cos - np.cos(phase)).max()
    sin_error = min(np.abs(sin - np.sin(phase)).max(), np.abs(sin + np.sin(phase)).max())
    if n < samples or max(cos_error, sin_error) > DFT_TOLERANCE or bins > n // 2 + 1:
        walk.fail(f"the spectrum matrices are not a {n}-point DFT's cos and sin within "
                  f"{DFT_TOLERANCE} (errors {cos_error:.2e}, {sin_error:.2e})")
    return n


def front_end(walk, audio):
    """The MFCC front end, from the graph input `audio`; returns (its
    output tensor, FrontEnd)."""
    sliced, (begin, end, strides) = walk.take("STRIDED_SLICE", audio, CONST, CONST, CONST)
    walk.expect(not begin.any() and (strides == 1).all() and
                walk.shape(sliced) == walk.shape(audio), "a slice that is not the whole input")
    chunks, _ = walk.take("RESHAPE", sliced, CONST)
    chunk = walk.shape(chunks)[-1]
    gathered, (indices,) = walk.take("GATHER", chunks, CONST)
    frames, per_frame = indices.shape
    step = int(indices[1, 0] - indices[0, 0]) if frames > 1 else 1
    walk.expect(step > 0 and (indices == step * np.arange(frames)[:, None] +
                              np.arange(per_frame)[None, :]).all(),
                "framing indices that are not consecutive chunks")
    framed, _ = walk.take("RESHAPE", gathered, CONST)
    window_length = per_frame * chunk
    walk.expect(walk.shape(framed)[-2:] == (frames, window_length), "frames of another shape")
    windowed, (window,) = walk.take("MUL", framed, CONST)
    walk.expect(window.shape == (window_length,), f"a window of shape {window.shape}")
    real, (cos,) = walk.take("FULLY_CONNECTED", windowed, CONST)
    real2, _ = walk.take("MUL", real, real)
    imag, (sin,) = walk.take("FULLY_CONNECTED", windowed, CONST)
    imag2, _ = walk.take("MUL", imag, imag)
    power, _ = walk.take("ADD", real2, imag2)
    magnitude, _ = walk.take("SQRT", power)
    walk.position -= 6  # a failure names the first of the DFT's six operators
    fft_length = dft_length(walk, cos, sin)
    walk.position += 6
    mel_energy, (mel,) = walk.take("FULLY_CONNECTED", magnitude, CONST)
    walk.expect(mel.ndim == 2 and mel.shape[1] == cos.shape[0], f"a mel matrix {mel.shape}")
    floored, (epsilon,) = walk.take("MAXIMUM", mel_energy, CONST)
    walk.expect(epsilon.size == 1 and epsilon.item() > 0, "a log floor that is not positive")
    shaped, _ = walk.take("RESHAPE", floored, CONST)
    logs, _ = walk.take("LOG", shaped)
    coefficients, (dct,) = walk.take("FULLY_CONNECTED", logs, CONST)
    walk.expect(dct.ndim == 2 and dct.shape[1] == mel.shape[0], f"a DCT matrix {dct.shape}")
    # KWT's feature normalizer: this family's is the identity, which the
    # runtime does not compute; another one is refused.
    centred, (mean,) = walk.take("SUB", coefficients, CONST)
    walk.expect(not mean.any(), f"a feature normalizer subtracting {mean.tolist()}")
    features, (scale,) = walk.take("MUL", centred, CONST)
    walk.expect((scale == 1).all(), "a feature normalizer scaling by other than 1")
    samples = int(np.prod(walk.shape(audio)))
    if samples != (frames - 1) * step * chunk + window_length:
        walk.fail(f"the input holds {samples} samples; the frames cover "
                  f"{(frames - 1) * step * chunk + window_length}")
    return features, FrontEnd(window_length, step * chunk, frames, fft_length,
                              float(epsilon.item()), window, mel, dct)


def net_permutation(walk, shape, steps):
    """Where each element of a [rows, cols] tensor lands after RESHAPE and
    TRANSPOSE operators; steps is [(name, constant)]."""
    values = np.arange(int(np.prod(shape))).reshape(shape)
    for name, constant in steps:
        values = values.reshape(constant) if name == "RESHAPE" else values.transpose(constant)
    return values


def layer_norm(walk, x, eps_out):
    """A decomposed LayerNorm of x; returns (output, gamma, beta) and
    appends its epsilon to eps_out."""
    mean, (axes,) = walk.take("MEAN", x, CONST)
    walk.expect(axes.tolist() in ([-1], [len(walk.shape(x)) - 1]), "a mean over other axes")
    diff, _ = walk.take("SQUARED_DIFFERENCE", x, mean)
    variance, (axes,) = walk.take("MEAN", diff, CONST)
    walk.expect(axes.tolist() in ([-1], [len(walk.shape(x)) - 1]), "a variance over other axes")
    shifted, (eps,) = walk.take("ADD", variance, CONST)
    eps_out.append(float(eps.item()))
    inverse, _ = walk.take("RSQRT", shifted)
    scaled, (gamma,) = walk.take("MUL", inverse, CONST)
    x_part, _ = walk.take("MUL", x, scaled)
    mean_part, _ = walk.take("MUL", mean, scaled)
    offset, (beta,) = walk.take("SUB", CONST, mean_part)
    out, _ = walk.take("ADD", x_part, offset)
    return out, gamma, beta


def gelu_tanh(walk, h):
    """0.5 h (1 + tanh(sqrt(2/pi) (h + 0.044715 h^3))), each constant checked."""
    cube, (power,) = walk.take("POW", h, CONST)
    check_close(walk, power, 3.0, "the GELU power")
    scaled, (c,) = walk.take("MUL", cube, CONST)
    check_close(walk, c, 0.044715, "the GELU cubic coefficient")
    inner, _ = walk.take("ADD", h, scaled)
    argument, (c,) = walk.take("MUL", inner, CONST)
    check_close(walk, c, math.sqrt(2 / math.pi), "the GELU tanh scale")
    tanh, _ = walk.take("TANH", argument)
    one_plus, (c,) = walk.take("ADD", tanh, CONST)
    check_close(walk, c, 1.0, "the GELU offset")
    half, (c,) = walk.take("MUL", h, CONST)
    check_close(walk, c, 0.5, "the GELU half")
    out, _ = walk.take("MUL", half, one_plus)
    return out


def dense(walk, x, bias=True):
    """FULLY_CONNECTED x W^T (+ b); returns (output, W [out, in], b or None)."""
    if bias:
        out, (w, b) = walk.take("FULLY_CONNECTED", x, CONST, CONST)
        return out, w, b
    out, (w,) = walk.take("FULLY_CONNECTED", x, CONST)
    return out, w, None


def attention(walk, x):
    """Single-head self-attention of x [rows, width]; returns (output, Q, K,
    V, output weight, output bias)."""
    q, wq, _ = dense(walk, x, bias=False)
    k, wk, _ = dense(walk, x, bias=False)
    rows, width = walk.shape(k)
    steps, kt = [], k
    for name in ("RESHAPE", "TRANSPOSE", "RESHAPE", "TRANSPOSE"):
        kt, (constant,) = walk.take(name, kt, CONST)
        steps.append((name, constant))
    # FULLY_CONNECTED(q, kt) computes q kt^T: kt must be K itself.
    walk.expect((net_permutation(walk, (rows, width), steps) ==
                 np.arange(rows * width).reshape(rows, width)).all(),
                "keys rearranged other than transposed twice")
    scores, _ = walk.take("FULLY_CONNECTED", q, kt)
    scaled, (scale,) = walk.take("MUL", scores, CONST)
    check_close(walk, scale, 1 / math.sqrt(width), "the attention scale (1 head expected)")
    shaped, _ = walk.take("RESHAPE", scaled, CONST)
    probabilities, _ = walk.take("SOFTMAX", shaped)
    walk.expect(walk.graph.operators[walk.position - 1].beta == 1.0, "a softmax beta other than 1")
    v, wv, _ = dense(walk, x, bias=False)
    vt, (perm,) = walk.take("TRANSPOSE", v, CONST)
    walk.expect(perm.tolist() == [1, 0], "values permuted other than transposed")
    mixed, _ = walk.take("FULLY_CONNECTED", probabilities, vt)
    out, wo, bo = dense(walk, mixed)
    out, _ = walk.take("RESHAPE", out, CONST)
    return out, wq, wk, wv, wo, bo


def layer(walk, x, n, eps_out):
    """One post-LN layer; returns (output, its GGUF tensors)."""
    walk.part = f"layer {n}"
    attended, wq, wk, wv, wo, bo = attention(walk, x)
    residual, _ = walk.take("ADD", x, attended)
    x1, g1, b1 = layer_norm(walk, residual, eps_out)
    up, wu, bu = dense(walk, x1)
    up, _ = walk.take("RESHAPE", up, CONST)
    activated = gelu_tanh(walk, up)
    down, wd, bd = dense(walk, activated)
    down, _ = walk.take("RESHAPE", down, CONST)
    residual, _ = walk.take("ADD", x1, down)
    x2, g2, b2 = layer_norm(walk, residual, eps_out)
    blk = f"blk.{n}."
    return x2, {blk + "attn_q.weight": wq, blk + "attn_k.weight": wk, blk + "attn_v.weight": wv,
                blk + "attn_output.weight": wo, blk + "attn_output.bias": bo,
                blk + "attn_output_norm.weight": g1, blk + "attn_output_norm.bias": b1,
                blk + "ffn_up.weight": wu, blk + "ffn_up.bias": bu,
                blk + "ffn_down.weight": wd, blk + "ffn_down.bias": bd,
                blk + "layer_output_norm.weight": g2, blk + "layer_output_norm.bias": b2}


def read_kwt(data):
    """(EncoderParams, GGUF tensors, FrontEnd) of a KWT .tflite file's bytes."""
    graph = read_graph(data)
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise ValueError(f"not a KWT graph: {len(graph.inputs)} inputs and "
                         f"{len(graph.outputs)} outputs (one each expected)")
    walk = Walk(graph)
    features, audio = front_end(walk, graph.inputs[0])

    walk.part = "the input projection"
    projected, w_in, b_in = dense(walk, features)
    projected, _ = walk.take("RESHAPE", projected, CONST)
    joined, (class_token,) = walk.take("CONCATENATION", CONST, projected)
    walk.expect(walk.shape(joined)[-2] == audio.frame_count + 1, "the class token not prepended")
    x, (positions,) = walk.take("ADD", joined, CONST)
    hidden = w_in.shape[0]
    tensors = {"tinyenc.input_proj.weight": w_in, "tinyenc.input_proj.bias": b_in,
               "tinyenc.class_token": class_token.reshape(hidden),
               "position_embd.weight": positions.reshape(-1, hidden)}
    eps, n = [], 0
    while walk.position < len(graph.operators) and graph.operators[walk.position].name != \
            "STRIDED_SLICE":
        x, layer_tensors = layer(walk, x, n, eps)
        tensors.update(layer_tensors)
        n += 1
    walk.part = "the head"
    pooled, (begin, end, _) = walk.take("STRIDED_SLICE", x, CONST, CONST, CONST)
    walk.expect(not begin.any() and end[-2] == 1 and walk.shape(pooled) == (1, hidden),
                "a head reading other than the class token's row")
    logits, w_head, b_head = dense(walk, pooled)
    if walk.position != len(graph.operators) or graph.outputs != [logits]:
        walk.fail("operators after the head, or the logits are not the graph's output")
    tensors["tinyenc.classifier.weight"] = w_head
    tensors["tinyenc.classifier.bias"] = b_head
    if n == 0 or len(set(eps)) != 1:
        raise ValueError(f"not a KWT graph: {n} layers, LayerNorm epsilons {sorted(set(eps))}")
    p = EncoderParams(
        embedding_length=hidden, block_count=n,
        feed_forward_length=tensors["blk.0.ffn_up.weight"].shape[0], head_count=1,
        context_length=audio.frame_count + 1, layer_norm_eps=eps[0], activation="gelu_tanh",
        pooling=POOLING_TYPES["cls"], feature_length=audio.dct.shape[0])
    return p, tensors, audio


def audio_writer(audio, labels, sample_rate):
    """Adds the front end's keys and tensors (docs/FORMAT.md section 3, audio
    keys); returns their table rows."""
    def write(writer):
        writer.add_u32("tinyenc.audio.sample_rate", sample_rate)
        writer.add_u32("tinyenc.audio.window_length", audio.window_length)
        writer.add_u32("tinyenc.audio.window_stride", audio.window_stride)
        writer.add_u32("tinyenc.audio.fft_length", audio.fft_length)
        writer.add_u32("tinyenc.audio.frame_count", audio.frame_count)
        writer.add_f32("tinyenc.audio.log_epsilon", audio.log_epsilon)
        writer.add_array("tinyenc.audio.labels", ValueType.STRING, labels)
        rows = []
        for name, array in (("tinyenc.audio.window", audio.window),
                            ("tinyenc.audio.mel", audio.mel), ("tinyenc.audio.dct", audio.dct)):
            ne = list(reversed(array.shape))
            writer.add_tensor(name, ne, TYPE_F32, quantize(TYPE_F32, array))
            rows.append((name, "F32", ne))
        return rows
    return write


def convert(tflite_path, out_path, outtype, labels=None, sample_rate=KWT_SAMPLE_RATE):
    with open(tflite_path, "rb") as f:
        p, tensors, audio = read_kwt(f.read())
    labels = KWT_LABELS if labels is None else labels
    if len(labels) != tensors["tinyenc.classifier.weight"].shape[0]:
        raise ValueError(f"{len(labels)} labels for "
                         f"{tensors['tinyenc.classifier.weight'].shape[0]} logits")
    return write_encoder_gguf(out_path, p, tensors, outtype, "kwt",
                              extra=audio_writer(audio, labels, sample_rate))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tflite", help="the KWT .tflite file")
    parser.add_argument("-o", "--output", required=True, help="GGUF file to write")
    parser.add_argument("--outtype", choices=["f32", "f16", "q8_0", "q4_0", "i8"],
                        default="f32", help="type of the weight matrices (default f32)")
    parser.add_argument("--labels", help="comma-separated class names (default: KWT's 12)")
    parser.add_argument("--sample-rate", type=int, default=KWT_SAMPLE_RATE,
                        help=f"samples per second the model was trained on "
                             f"(default {KWT_SAMPLE_RATE})")
    args = parser.parse_args()
    labels = args.labels.split(",") if args.labels else None
    run_writer("convert_tflite_kwt.py", args.output,
               lambda: convert(args.tflite, args.output, args.outtype, labels,
                               args.sample_rate),
               {ValueError: "{}", FileNotFoundError: "{}", KeyError: "{}"})
