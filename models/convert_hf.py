#!/usr/bin/python3
"""Converts a Hugging Face BERT checkpoint into a GGUF v3 file for tinyenc.

By default the file follows llama.cpp's `bert` conventions exactly, so
llama.cpp loads it too: llama.cpp rejects tensors it does not expect, which is
why the pooler and classifier are dropped unless --keep-heads is given (the
file is then tinyenc-only). Variants tinyenc supports beyond Hugging Face
BERT are described by `tinyenc.` keys and tensors, documented in
docs/FORMAT.md, which is the contract this script writes to.

Needs only the Python standard library and numpy for model.safetensors;
torch is imported only to read a pytorch_model.bin.

The function write_encoder_gguf() turns GGUF-named float arrays plus
hyper-parameters into a file; tools/make_random_bert.py shares it.
"""

import argparse
import dataclasses
import json
import math
import os
import re
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ggml_quants import (BLOCK, TYPE_F16, TYPE_F32, TYPE_NAMES, TYPE_Q4_0,  # noqa: E402
                         TYPE_Q8_0, quantize)
from gguf_writer import GGUFWriter, ValueType  # noqa: E402
from tokenizer.sentencepiece_keys import Entry, add_keys  # noqa: E402

POOLING_TYPES = {"none": 0, "mean": 1, "cls": 2}
OUTTYPES = {"f32": TYPE_F32, "f16": TYPE_F16, "q8_0": TYPE_Q8_0, "q4_0": TYPE_Q4_0}
# llama.cpp's llama_ftype numbers, written as general.file_type for its tools.
FILE_TYPES = {"f32": 0, "f16": 1, "q4_0": 2, "q8_0": 7}
ACTIVATIONS = {"gelu": "gelu_erf", "gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh",
               "relu": "relu"}
# llama.cpp quantizes token_embd of a Q4_0 model as Q8_0 unless rows are
# whole 256-value super-blocks; doing the same keeps files interchangeable.
Q4_0_TOKEN_EMBD_ROW_MULTIPLE = 256
SPECIAL_TOKENS = {  # GGUF key suffix -> (tokenizer_config.json field, default)
    "bos_token_id": ("cls_token", "[CLS]"),
    "seperator_token_id": ("sep_token", "[SEP]"),  # sic: llama.cpp's spelling
    "unknown_token_id": ("unk_token", "[UNK]"),
    "padding_token_id": ("pad_token", "[PAD]"),
    "mask_token_id": ("mask_token", "[MASK]"),
}
TOKEN_TYPE_NORMAL, TOKEN_TYPE_CONTROL = 1, 3
PHANTOM_SPACE = "\u2581"


@dataclasses.dataclass
class EncoderParams:
    """Hyper-parameters; defaults are Hugging Face BERT's."""
    embedding_length: int
    block_count: int
    feed_forward_length: int
    head_count: int
    context_length: int
    layer_norm_eps: float = 1e-12
    # "bert": llama.cpp's keys and tensors; "tinyenc": the generic encoder,
    # the same keys under the tinyenc. prefix, for files llama.cpp cannot run.
    architecture: str = "bert"
    activation: str = "gelu_erf"
    layer_norm_position: str = "post"
    position_type: str = "learned"
    pooling: int = POOLING_TYPES["mean"]
    normalize: bool = False
    uncased: bool = True  # WordPiece only; None for other tokenizers
    feature_length: int = 0  # 0: token ids in; otherwise frames of this many features
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
    if row_length % BLOCK:
        return TYPE_F16, True
    if (target == TYPE_Q4_0 and name == "token_embd.weight"
            and row_length % Q4_0_TOKEN_EMBD_ROW_MULTIPLE):
        return TYPE_Q8_0, False
    return target, False


def phantom_space_token(token):
    if len(token) > 2 and token.startswith("[") and token.endswith("]"):
        return token, TOKEN_TYPE_CONTROL
    if len(token) > 2 and token.startswith("##"):
        return token[2:], TOKEN_TYPE_NORMAL
    return PHANTOM_SPACE + token, TOKEN_TYPE_NORMAL


def add_vocabulary(writer, vocab, special_tokens):
    forms, types = zip(*(phantom_space_token(t) for t in vocab))
    writer.add_string("tokenizer.ggml.model", "bert")
    writer.add_array("tokenizer.ggml.tokens", ValueType.STRING, forms)
    writer.add_array("tokenizer.ggml.token_type", ValueType.I32, types)
    index = {token: i for i, token in reversed(list(enumerate(vocab)))}  # first occurrence
    for key, token in special_tokens.items():
        if token not in index:
            raise ValueError(f"special token {token} ({key}) is not in the vocabulary")
        writer.add_u32(f"tokenizer.ggml.{key}", index[token])


def vocab_entries(vocab):
    """key -> entry when vocab is a list of tokenizer key entries; else {}."""
    if vocab and isinstance(vocab[0], Entry):
        return {entry.key: entry for entry in vocab}
    return {}


def add_hyper_parameters(writer, p, outtype, token_type_count, name):
    arch = p.architecture
    writer.add_string("general.architecture", arch)
    writer.add_string("general.name", name)
    writer.add_u32("general.file_type", FILE_TYPES[outtype])
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
    if p.architecture not in ("bert", "tinyenc"):
        raise ValueError(f"unknown architecture {p.architecture}")
    if p.activation not in ("gelu_erf", "gelu_tanh", "relu"):
        raise ValueError(f"unknown activation {p.activation}")
    if p.layer_norm_position not in ("post", "pre"):
        raise ValueError(f"unknown layer norm position {p.layer_norm_position}")
    if p.position_type not in ("learned", "sinusoidal"):
        raise ValueError(f"unknown position type {p.position_type}")
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
                       f16_pattern=None):
    """Writes tensors (GGUF name -> float array, numpy shape) as a GGUF file.

    vocab is a WordPiece token list (written with special_tokens as the
    `bert` tokenizer), or a list of tokenizer key entries with add_keys()
    as models/tokenizer/sentencepiece_keys.py makes them; then
    `tokenizer.ggml.tokens` among them must match token_embd's rows.
    f16_pattern: see tensor_type().
    Returns (table rows of (name, type name, ne), names that fell back to F16,
    file size in bytes).
    """
    check_params(p)
    order = check_tensors(p, tensors)
    if (vocab is None) != (p.feature_length > 0):
        raise ValueError("token models need a vocabulary; feature models have none")
    writer = GGUFWriter()
    type_rows = tensors["token_types.weight"].shape[0] if "token_types.weight" in tensors else 0
    add_hyper_parameters(writer, p, outtype, type_rows, name)
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
    for tensor_name in order:
        array = np.ascontiguousarray(tensors[tensor_name], dtype=np.float32)
        ggml_type, fell_back = tensor_type(tensor_name, array, outtype, f16_pattern)
        ne = list(reversed(array.shape))
        writer.add_tensor(tensor_name, ne, ggml_type, quantize(ggml_type, array))
        table.append((tensor_name, TYPE_NAMES[ggml_type], ne))
        if fell_back:
            fallbacks.append(tensor_name)
    writer.write(path)
    return table, fallbacks, os.path.getsize(path)


def print_report(path, table, fallbacks, size):
    width = max(len(row[0]) for row in table)
    for tensor_name, type_name, ne in table:
        print(f"{tensor_name:<{width}}  {type_name:<4}  {ne}")
    if fallbacks:
        print(f"kept F16 (row length not a multiple of {BLOCK}): {', '.join(fallbacks)}")
    print(f"wrote {path}: {len(table)} tensors, {size} bytes")


# ---- reading a Hugging Face checkpoint ------------------------------------

SAFETENSORS_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
                      "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def read_safetensors(path):
    """name -> numpy array; floating tensors as float32 (BF16 widened exactly)."""
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack_from("<Q", data)
    if 8 + header_length > len(data):
        raise ValueError(f"{path}: header length {header_length} past the end of the file")
    header = json.loads(data[8:8 + header_length])
    base = 8 + header_length
    arrays = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype, shape = info["dtype"], info["shape"]
        begin, end = info["data_offsets"]
        if not 0 <= begin <= end <= len(data) - base:
            raise ValueError(f"{path}: {name} data outside the file")
        raw = np.frombuffer(data, dtype=np.uint8, count=end - begin, offset=base + begin)
        if dtype == "BF16":
            array = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32)
        elif dtype in SAFETENSORS_DTYPES:
            array = raw.view(SAFETENSORS_DTYPES[dtype])
        else:
            raise ValueError(f"{path}: {name} has unsupported dtype {dtype}")
        if array.size != math.prod(shape):
            raise ValueError(f"{path}: {name} holds {array.size} values, shape {shape}")
        if array.dtype.kind == "f":
            array = array.astype(np.float32)
        arrays[name] = array.reshape(shape)
    return arrays


def read_pytorch_bin(path):
    import torch  # only this format needs it
    state = torch.load(path, map_location="cpu", weights_only=True)
    return {name: (t.float() if t.is_floating_point() else t).numpy() for name, t in state.items()}


def read_state_dict(hf_dir):
    safetensors = os.path.join(hf_dir, "model.safetensors")
    if os.path.exists(safetensors):
        return read_safetensors(safetensors)
    pytorch_bin = os.path.join(hf_dir, "pytorch_model.bin")
    if os.path.exists(pytorch_bin):
        return read_pytorch_bin(pytorch_bin)
    raise FileNotFoundError(f"{hf_dir} has neither model.safetensors nor pytorch_model.bin")


LAYER_TENSORS = {  # Hugging Face name inside encoder.layer.N -> GGUF name inside blk.N
    "attention.self.query": "attn_q",
    "attention.self.key": "attn_k",
    "attention.self.value": "attn_v",
    "attention.output.dense": "attn_output",
    "attention.output.LayerNorm": "attn_output_norm",
    "intermediate.dense": "ffn_up",
    "output.dense": "ffn_down",
    "output.LayerNorm": "layer_output_norm",
}
MODEL_TENSORS = {
    "embeddings.word_embeddings": "token_embd",
    "embeddings.token_type_embeddings": "token_types",
    "embeddings.position_embeddings": "position_embd",
    "embeddings.LayerNorm": "token_embd_norm",
    "embeddings.input_proj": "tinyenc.input_proj",
    "encoder.final_layer_norm": "output_norm",
    "pooler.dense": "tinyenc.pooler",
    "classifier": "tinyenc.classifier",
}
# Buffers and pre-training heads a BERT checkpoint may carry that no encoder uses.
IGNORED_TENSORS = re.compile(r"^(embeddings\.position_ids|cls\..*)$")
HEAD_TENSORS = re.compile(r"^tinyenc\.(pooler|classifier)\.")


def gguf_name(hf_name):
    """GGUF name for a state-dict name; None for tensors that are dropped."""
    name = hf_name[len("bert."):] if hf_name.startswith("bert.") else hf_name
    if IGNORED_TENSORS.match(name):
        return None
    if name == "embeddings.class_token":
        return "tinyenc.class_token"
    layer = re.match(r"^encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$", name)
    if layer:
        number, module, kind = layer.groups()
        if module == "residual_proj":
            return f"tinyenc.blk.{number}.residual_proj.{kind}"
        if module in LAYER_TENSORS:
            return f"blk.{number}.{LAYER_TENSORS[module]}.{kind}"
    else:
        module, _, kind = name.rpartition(".")
        if module in MODEL_TENSORS and kind in ("weight", "bias"):
            return f"{MODEL_TENSORS[module]}.{kind}"
    raise ValueError(f"unknown tensor {hf_name}")


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def sentence_transformers_settings(hf_dir):
    """(pooling type or None, normalize) from sentence-transformers' modules.json."""
    modules_path = os.path.join(hf_dir, "modules.json")
    if not os.path.exists(modules_path):
        return None, False
    pooling, normalize = None, False
    for module in read_json(modules_path):
        kind = module.get("type", "")
        if kind.endswith(".Normalize"):
            normalize = True
        elif kind.endswith(".Pooling"):
            config = read_json(os.path.join(hf_dir, module["path"], "config.json"))
            modes = [mode for mode, flag in (("cls", "pooling_mode_cls_token"),
                                             ("mean", "pooling_mode_mean_tokens"))
                     if config.get(flag)]
            unsupported = [k for k, v in config.items()
                           if k.startswith("pooling_mode_") and v
                           and k not in ("pooling_mode_cls_token", "pooling_mode_mean_tokens")]
            if len(modes) != 1 or unsupported:
                raise ValueError(f"sentence-transformers pooling {config} is not one of cls, mean")
            pooling = POOLING_TYPES[modes[0]]
    return pooling, normalize


def read_vocab(hf_dir):
    with open(os.path.join(hf_dir, "vocab.txt"), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def special_token_names(tokenizer_config):
    names = {}
    for key, (field, default) in SPECIAL_TOKENS.items():
        value = tokenizer_config.get(field) or default
        names[key] = value["content"] if isinstance(value, dict) else value
    return names


def params_from_config(config, tensors, pooling, normalize, uncased):
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError(f"position_embedding_type {config['position_embedding_type']} "
                         "is not supported")
    if config["hidden_act"] not in ACTIVATIONS:
        raise ValueError(f"hidden_act {config['hidden_act']} is not supported")
    sinusoidal = config.get("tinyenc_position") == "sinusoidal"
    # llama.cpp takes the context length from the position table's rows.
    context = (tensors["position_embd.weight"].shape[0] if "position_embd.weight" in tensors
               else config["max_position_embeddings"])
    return EncoderParams(
        embedding_length=config["hidden_size"],
        block_count=config["num_hidden_layers"],
        feed_forward_length=config["intermediate_size"],
        head_count=config["num_attention_heads"],
        context_length=context,
        layer_norm_eps=config.get("layer_norm_eps", 1e-12),
        activation=ACTIVATIONS[config["hidden_act"]],
        layer_norm_position=config.get("tinyenc_layer_norm", "post"),
        position_type="sinusoidal" if sinusoidal else "learned",
        pooling=pooling,
        normalize=normalize,
        uncased=uncased,
        feature_length=config.get("tinyenc_input_features", 0),
        layer_widths=config.get("tinyenc_layer_widths"),
        layer_heads=config.get("tinyenc_layer_heads"),
        layer_ffn=config.get("tinyenc_layer_ffn"),
        layer_attention=config.get("tinyenc_layer_attention"))


def convert(hf_dir, out_path, outtype, pooling_name=None, normalize=False, keep_heads=False):
    config = read_json(os.path.join(hf_dir, "config.json"))
    tokenizer_config_path = os.path.join(hf_dir, "tokenizer_config.json")
    tokenizer_config = (read_json(tokenizer_config_path)
                        if os.path.exists(tokenizer_config_path) else {})
    tensors = {}
    for hf_name, array in read_state_dict(hf_dir).items():
        name = gguf_name(hf_name)
        if name is None or (HEAD_TENSORS.match(name) and not keep_heads):
            continue
        # A class token is stored as [H] whatever batch dims the checkpoint gave it.
        tensors[name] = array.reshape(-1) if name == "tinyenc.class_token" else array

    st_pooling, st_normalize = sentence_transformers_settings(hf_dir)
    if pooling_name is not None:
        pooling = POOLING_TYPES[pooling_name]
    elif st_pooling is not None:
        pooling = st_pooling
    elif "tinyenc.classifier.weight" in tensors:
        pooling = POOLING_TYPES["cls"]
    else:
        pooling = POOLING_TYPES["mean"]
    p = params_from_config(config, tensors, pooling, normalize or st_normalize,
                           tokenizer_config.get("do_lower_case", True))
    vocab = special = None
    if not p.feature_length:
        vocab = read_vocab(hf_dir)
        special = special_token_names(tokenizer_config)
    name = os.path.basename(os.path.normpath(hf_dir))
    return write_encoder_gguf(out_path, p, tensors, outtype, name, vocab, special)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Without --keep-heads the output loads in llama.cpp (which rejects unexpected "
               "tensors), so the pooler and classifier are dropped. See docs/FORMAT.md.")
    parser.add_argument("hf_dir", help="folder with config.json, vocab.txt and "
                        "model.safetensors or pytorch_model.bin")
    parser.add_argument("-o", "--output", required=True, help="GGUF file to write")
    parser.add_argument("--outtype", choices=sorted(OUTTYPES), default="f16",
                        help="type of the weight matrices (default f16)")
    parser.add_argument("--pooling", choices=list(POOLING_TYPES),
                        help="bert.pooling_type (default: sentence-transformers' setting, else "
                             "cls when a classifier is kept, else mean)")
    parser.add_argument("--normalize", action="store_true",
                        help="L2-normalize the pooled embedding (also implied by a "
                             "sentence-transformers Normalize module)")
    parser.add_argument("--keep-heads", action="store_true",
                        help="keep the pooler and classifier as tinyenc.* tensors; the file "
                             "then no longer loads in llama.cpp")
    args = parser.parse_args()
    try:
        result = convert(args.hf_dir, args.output, args.outtype, args.pooling, args.normalize,
                         args.keep_heads)
    except KeyError as error:  # only config.json is indexed without a check
        sys.exit(f"convert_hf.py: config.json has no {error}")
    except (ValueError, FileNotFoundError) as error:
        sys.exit(f"convert_hf.py: {error}")
    print_report(args.output, *result)


if __name__ == "__main__":
    main()
