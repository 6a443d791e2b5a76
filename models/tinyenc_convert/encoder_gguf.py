"""An encoder's GGUF file from hyper-parameters and GGUF-named float arrays:
what every writer of encoder files shares (docs/FORMAT.md is the contract).

write_encoder_gguf() checks the parameters and tensors, picks each tensor's
ggml type, and writes keys, vocabulary and tensors; print_report() and
run_writer() are the command-line end of hf.py, use_lite.py and
random_bert.py.
"""

import dataclasses
import os
import sys

import numpy as np

from .ggml_quants import (BLOCK, TYPE_F16, TYPE_F32, TYPE_I8, TYPE_NAMES, TYPE_Q4_0, TYPE_Q8_0,
                          quantize, quantize_i8_rows)
from .gguf_types import ValueType
from .gguf_writer import GGUFWriter
from .sentencepiece_keys import Entry, add_keys
from .wordpiece_keys import add_vocabulary

POOLING_TYPES = {"none": 0, "mean": 1, "cls": 2}
OUTTYPES = {"f32": TYPE_F32, "f16": TYPE_F16, "q8_0": TYPE_Q8_0, "q4_0": TYPE_Q4_0, "i8": TYPE_I8}
# llama.cpp's llama_ftype numbers, written as general.file_type for its tools;
# it has none for tinyenc's per-row I8, whose files only tinyenc runs.
FILE_TYPES = {"f32": 0, "f16": 1, "q4_0": 2, "q8_0": 7}
# llama.cpp quantizes token_embd of a Q4_0 model as Q8_0 unless rows are
# whole 256-value super-blocks; doing the same keeps files interchangeable.
Q4_0_TOKEN_EMBD_ROW_MULTIPLE = 256


@dataclasses.dataclass
class EncoderParams:
    """Hyper-parameters; defaults are Hugging Face BERT's."""
    embedding_length: int
    block_count: int
    feed_forward_length: int
    head_count: int
    context_length: int
    layer_norm_eps: float = 1e-12
    activation: str = "gelu_erf"
    layer_norm_position: str = "post"
    position_type: str = "learned"
    pooling: int = POOLING_TYPES["mean"]
    normalize: bool = False
    uncased: bool = True  # WordPiece only; None for other tokenizers
    feature_length: int = 0  # 0: token ids in; otherwise frames of this many features
    classifier_input: str = "pooled"  # "tokens": a token classifier (every row's logits)
    # Per-layer values; None means the scalar above for every layer.
    layer_widths: list = None
    layer_heads: list = None
    layer_ffn: list = None
    layer_attention: list = None  # width of Q, K, V per layer; None: the layer's width

    def per_layer(self, values, scalar):
        return list(values) if values is not None else [scalar] * self.block_count


def expected_tensors(p, vocab_size, token_type_count, label_count):
    """(GGUF name, numpy shape, group) in file order for parameters p.

    group None: required. Otherwise optional, and every tensor of a group is
    present or none is (a norm's weight and bias, a layer's Q/K/V biases).
    Groups of a layer are named "blk.N.<kind>".
    """
    hidden = p.embedding_length
    if p.feature_length:
        yield "tinyenc.input_proj.weight", (hidden, p.feature_length), None
        yield "tinyenc.input_proj.bias", (hidden,), "input_proj.bias"
        yield "tinyenc.class_token", (hidden,), "class_token"
    else:
        yield "token_embd.weight", (vocab_size, hidden), None
        yield "token_types.weight", (token_type_count, hidden), "token_types"
    if p.position_type == "learned":
        yield "position_embd.weight", (p.context_length, hidden), None
    yield "token_embd_norm.weight", (hidden,), "token_embd_norm"
    yield "token_embd_norm.bias", (hidden,), "token_embd_norm"

    widths = p.per_layer(p.layer_widths, hidden)
    ffn = p.per_layer(p.layer_ffn, p.feed_forward_length)
    attention = p.per_layer(p.layer_attention, None)
    width_in = hidden
    for n, (width, ff, att) in enumerate(zip(widths, ffn, attention)):
        blk = f"blk.{n}."
        norm1 = width_in if p.layer_norm_position == "pre" else width
        att = att or width
        for proj in ("attn_q", "attn_k", "attn_v"):
            yield blk + proj + ".weight", (att, width_in), None
            yield blk + proj + ".bias", (att,), f"{blk}qkv_bias"
        yield blk + "attn_output.weight", (width, att), None
        yield blk + "attn_output.bias", (width,), None
        yield blk + "attn_output_norm.weight", (norm1,), None
        yield blk + "attn_output_norm.bias", (norm1,), None
        yield blk + "ffn_up.weight", (ff, width), None
        yield blk + "ffn_up.bias", (ff,), None
        yield blk + "ffn_down.weight", (width, ff), None
        yield blk + "ffn_down.bias", (width,), None
        yield blk + "layer_output_norm.weight", (width,), None
        yield blk + "layer_output_norm.bias", (width,), None
        if width != width_in:
            yield f"tinyenc.{blk}residual_proj.weight", (width, width_in), None
            yield f"tinyenc.{blk}residual_proj.bias", (width,), f"{blk}residual_proj_bias"
        width_in = width
    yield "output_norm.weight", (width_in,), "output_norm"
    yield "output_norm.bias", (width_in,), "output_norm"
    yield "tinyenc.pooler.weight", (width_in, width_in), "pooler"
    yield "tinyenc.pooler.bias", (width_in,), "pooler"
    yield "tinyenc.classifier.weight", (label_count, width_in), "classifier"
    yield "tinyenc.classifier.bias", (label_count,), "classifier"


def check_tensors(p, tensors):
    """Tensor names in file order; raises on anything missing, extra or misshapen."""
    def rows(name):
        return tensors[name].shape[0] if name in tensors else 0
    layout = list(expected_tensors(p, rows("token_embd.weight"), rows("token_types.weight"),
                                   rows("tinyenc.classifier.weight")))
    known = {name for name, _, _ in layout}
    extra = sorted(set(tensors) - known)
    if extra:
        raise ValueError(f"tensors the parameters do not call for: {', '.join(extra)}")
    groups = {}
    for name, shape, group in layout:
        if group is None and name not in tensors:
            raise ValueError(f"missing tensor {name}")
        if name in tensors and tensors[name].shape != shape:
            raise ValueError(f"{name}: shape {tensors[name].shape}, expected {shape}")
        if group is not None:
            groups.setdefault(group, []).append(name in tensors)
    for group, present in groups.items():
        if any(present) and not all(present):
            raise ValueError(f"{group}: some tensors of the group are missing")
    return [name for name, _, _ in layout if name in tensors]


def tensor_type(name, array, outtype, f16_pattern=None):
    """ggml type for one tensor; the bool says an F16 fallback replaced quantization.

    Matrices whose name matches f16_pattern (a compiled regex) are not
    quantized but kept F16, as the caller decided for their sensitivity."""
    if array.ndim == 1 or name in ("position_embd.weight", "token_types.weight"):
        return TYPE_F32, False
    target = OUTTYPES[outtype]
    if target in (TYPE_F32, TYPE_F16):
        return target, False
    if f16_pattern is not None and f16_pattern.search(name):
        return TYPE_F16, False
    row_length = array.shape[-1]
    if target == TYPE_I8:
        # The token table is read a row at a time, not multiplied: it stays
        # a self-contained block type.
        if name != "token_embd.weight":
            return TYPE_I8, False
        target = TYPE_Q8_0
    if row_length % BLOCK:
        return TYPE_F16, True
    if (target == TYPE_Q4_0 and name == "token_embd.weight"
            and row_length % Q4_0_TOKEN_EMBD_ROW_MULTIPLE):
        return TYPE_Q8_0, False
    return target, False


def vocab_entries(vocab):
    """key -> entry when vocab is a list of tokenizer key entries; else {}."""
    if vocab and isinstance(vocab[0], Entry):
        return {entry.key: entry for entry in vocab}
    return {}


# Tensors llama.cpp's bert loader requires that tinyenc's encoder takes as
# optional (BERT has them all).
LLAMA_CPP_REQUIRED = ("token_types.weight", "token_embd_norm.weight", "blk.0.attn_q.bias")


def llama_cpp_differences(p, tensor_names, outtype):
    """Why llama.cpp's `bert` would not compute what tinyenc computes from
    this file; empty when it would, and only then is the file written as
    `bert` (docs/FORMAT.md). llama.cpp runs every bert file as a post-LN,
    GELU, learned-position BERT of one width with an uncased tokenizer,
    whatever the tinyenc. keys say, and refuses tensors it does not know
    (../shared/notes/GGUF.md); it has no I8 type."""
    reasons = []
    if p.feature_length:
        reasons.append("feature input")
    if p.activation != "gelu_erf":
        reasons.append(f"{p.activation} activation")
    if p.layer_norm_position != "post":
        reasons.append(f"{p.layer_norm_position}-LN")
    if p.position_type != "learned":
        reasons.append(f"{p.position_type} positions")
    for values, scalar, what in ((p.layer_widths, p.embedding_length, "widths"),
                                 (p.layer_attention, p.embedding_length, "attention widths"),
                                 (p.layer_heads, p.head_count, "head counts"),
                                 (p.layer_ffn, p.feed_forward_length, "FFN widths")):
        if values is not None and any(v != scalar for v in values):
            reasons.append(f"per-layer {what}")
    if p.uncased is False:
        reasons.append("cased tokenizer")
    if outtype == "i8":
        reasons.append("I8 weights")
    unknown = [n for n in tensor_names if n.startswith(("tinyenc.", "output_norm."))]
    if unknown:
        reasons.append("tensors llama.cpp does not know: " + ", ".join(unknown))
    if not p.feature_length:
        absent = [n for n in LLAMA_CPP_REQUIRED if n not in tensor_names]
        if absent:
            reasons.append("no " + ", ".join(absent))
    return reasons


def add_hyper_parameters(writer, p, arch, outtype, token_type_count, name):
    """arch: "bert" (llama.cpp's keys) or "tinyenc" (the same keys under tinyenc.)."""
    writer.add_string("general.architecture", arch)
    writer.add_string("general.name", name)
    if outtype in FILE_TYPES:
        writer.add_u32("general.file_type", FILE_TYPES[outtype])
    # llama.cpp's GGML_QNT_VERSION, which its loader reads for quantized files.
    writer.add_u32("general.quantization_version", 2)
    writer.add_u32(f"{arch}.context_length", p.context_length)
    writer.add_u32(f"{arch}.embedding_length", p.embedding_length)
    writer.add_u32(f"{arch}.block_count", p.block_count)
    writer.add_u32(f"{arch}.feed_forward_length", p.feed_forward_length)
    writer.add_u32(f"{arch}.attention.head_count", p.head_count)
    writer.add_f32(f"{arch}.attention.layer_norm_epsilon", p.layer_norm_eps)
    writer.add_bool(f"{arch}.attention.causal", False)
    writer.add_u32(f"{arch}.pooling_type", p.pooling)
    writer.add_u32("tokenizer.ggml.token_type_count", token_type_count)
    writer.add_string("tinyenc.activation", p.activation)
    writer.add_bool("tinyenc.normalize", p.normalize)
    # Variant keys only when they differ from BERT's defaults, so that a
    # plain BERT file reads as one at a glance.
    if p.layer_norm_position != "post":
        writer.add_string("tinyenc.layer_norm_position", p.layer_norm_position)
    if p.position_type != "learned":
        writer.add_string("tinyenc.position_type", p.position_type)
    if p.classifier_input != "pooled":
        writer.add_string("tinyenc.classifier_input", p.classifier_input)
    if p.feature_length:
        writer.add_string("tinyenc.input_type", "features")
        writer.add_u32("tinyenc.feature_length", p.feature_length)
    elif p.uncased is not None:
        writer.add_bool("tinyenc.tokenizer.uncased", p.uncased)
    for key, values in (("layer_embedding_length", p.layer_widths),
                        ("layer_head_count", p.layer_heads),
                        ("layer_feed_forward_length", p.layer_ffn),
                        ("layer_attention_length", p.layer_attention)):
        if values is not None:
            writer.add_array(f"tinyenc.{key}", ValueType.U32, values)


def check_params(p):
    if p.activation not in ("gelu_erf", "gelu_tanh", "relu"):
        raise ValueError(f"unknown activation {p.activation}")
    if p.layer_norm_position not in ("post", "pre"):
        raise ValueError(f"unknown layer norm position {p.layer_norm_position}")
    if p.position_type not in ("learned", "sinusoidal"):
        raise ValueError(f"unknown position type {p.position_type}")
    if p.classifier_input not in ("pooled", "tokens"):
        raise ValueError(f"unknown classifier input {p.classifier_input}")
    if p.position_type == "sinusoidal" and p.embedding_length % 2:
        raise ValueError("sinusoidal positions need an even embedding length")
    for values in (p.layer_widths, p.layer_heads, p.layer_ffn, p.layer_attention):
        if values is not None and len(values) != p.block_count:
            raise ValueError(f"per-layer list {values} does not have {p.block_count} entries")
    widths = p.per_layer(p.layer_attention or p.layer_widths, p.embedding_length)
    for n, (width, heads) in enumerate(zip(widths, p.per_layer(p.layer_heads, p.head_count))):
        if heads < 1 or width % heads:
            raise ValueError(f"layer {n}: attention width {width} is not a multiple of "
                             f"{heads} heads")


def write_encoder_gguf(path, p, tensors, outtype, name, vocab=None, special_tokens=None,
                       f16_pattern=None, extra=None):
    """Writes tensors (GGUF name -> float array, numpy shape) as a GGUF file.

    vocab is a WordPiece token list (written with special_tokens as the
    `bert` tokenizer), or a list of tokenizer key entries with add_keys()
    as sentencepiece_keys.py makes them; then
    `tokenizer.ggml.tokens` among them must match token_embd's rows.
    f16_pattern: see tensor_type(). extra(writer), when given, adds a
    model's own keys and F32 tensors after the encoder's keys and returns
    the tensors' table rows (kwt_tflite.py's audio front end).
    The architecture is `bert` when llama_cpp_differences() finds none, else
    `tinyenc`. Returns (table rows of (name, type name, ne), names that fell
    back to F16, file size in bytes, llama_cpp_differences()).
    """
    check_params(p)
    order = check_tensors(p, tensors)
    if (vocab is None) != (p.feature_length > 0):
        raise ValueError("token models need a vocabulary; feature models have none")
    writer = GGUFWriter()
    type_rows = tensors["token_types.weight"].shape[0] if "token_types.weight" in tensors else 0
    differences = llama_cpp_differences(p, order, outtype)
    add_hyper_parameters(writer, p, "tinyenc" if differences else "bert", outtype, type_rows, name)
    if vocab is not None:
        entries = vocab_entries(vocab)
        tokens = entries["tokenizer.ggml.tokens"].value if entries else vocab
        if len(tokens) != tensors["token_embd.weight"].shape[0]:
            raise ValueError(f"vocabulary has {len(tokens)} tokens, token_embd "
                             f"{tensors['token_embd.weight'].shape[0]} rows")
        if entries:
            add_keys(writer, vocab)
        else:
            add_vocabulary(writer, vocab, special_tokens)
    table, fallbacks = [], []
    if extra is not None:
        table += extra(writer)
    for tensor_name in order:
        array = np.ascontiguousarray(tensors[tensor_name], dtype=np.float32)
        ggml_type, fell_back = tensor_type(tensor_name, array, outtype, f16_pattern)
        ne = list(reversed(array.shape))
        if ggml_type == TYPE_I8:
            codes, scales = quantize_i8_rows(array)
            writer.add_tensor(tensor_name, ne, ggml_type, codes)
            table.append((tensor_name, TYPE_NAMES[ggml_type], ne))
            prefix = tensor_name[:-len(".weight")]
            sums = codes.view(np.int8).reshape(ne[1], ne[0]).sum(axis=1, dtype=np.int64)
            sums = sums.astype(np.float32)
            for suffix, values in ((".scale", scales), (".sum", sums)):
                writer.add_tensor(prefix + suffix, [ne[1]], TYPE_F32, quantize(TYPE_F32, values))
                table.append((prefix + suffix, TYPE_NAMES[TYPE_F32], [ne[1]]))
        else:
            writer.add_tensor(tensor_name, ne, ggml_type, quantize(ggml_type, array))
            table.append((tensor_name, TYPE_NAMES[ggml_type], ne))
        if fell_back:
            fallbacks.append(tensor_name)
    writer.write(path)
    return table, fallbacks, os.path.getsize(path), differences


def print_report(path, table, fallbacks, size, differences):
    width = max(len(row[0]) for row in table)
    for tensor_name, type_name, ne in table:
        print(f"{tensor_name:<{width}}  {type_name:<4}  {ne}")
    if fallbacks:
        print(f"kept F16 (row length not a multiple of {BLOCK}): {', '.join(fallbacks)}")
    if differences:
        print("architecture tinyenc (llama.cpp would compute another function: "
              f"{'; '.join(differences)})")
    else:
        print("architecture bert (llama.cpp runs it too)")
    print(f"wrote {path}: {len(table)} tensors, {size} bytes")


def run_writer(program, output, write, failures):
    """The end of a writer's main(): runs write(), which returns
    write_encoder_gguf()'s result, and prints the report for output. An
    exception of a type in failures (type -> message, "{}" standing for the
    error) exits with "program: message" instead."""
    try:
        result = write()
    except tuple(failures) as error:
        message = next(form for kind, form in failures.items() if isinstance(error, kind))
        sys.exit(f"{program}: " + message.format(error))
    print_report(output, *result)
