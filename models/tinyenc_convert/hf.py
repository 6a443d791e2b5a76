"""Converts a Hugging Face BERT checkpoint into a GGUF v3 file for tinyenc.

By default the file follows llama.cpp's `bert` conventions exactly, so
llama.cpp loads it too: llama.cpp rejects tensors it does not expect, which is
why the pooler and classifier are dropped unless --keep-heads is given (the
file is then tinyenc-only). Variants tinyenc supports beyond Hugging Face
BERT are described by `tinyenc.` keys and tensors, documented in
docs/FORMAT.md, which is the contract this converter writes to.

Needs only the Python standard library and numpy for model.safetensors;
torch is imported only to read a pytorch_model.bin.

Run as models/convert_hf.py; the file itself is written by
encoder_gguf.write_encoder_gguf(), which the other writers share.
"""

import argparse
import json
import math
import os
import re
import struct

import numpy as np

from .encoder_gguf import OUTTYPES, POOLING_TYPES, EncoderParams, run_writer, write_encoder_gguf
from .wordpiece_keys import BERT_SPECIAL_TOKENS

ACTIVATIONS = {"gelu": "gelu_erf", "gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh",
               "relu": "relu"}
# GGUF key suffix (as BERT_SPECIAL_TOKENS) -> tokenizer_config.json field
# naming the token; without the field, BERT's token is taken.
SPECIAL_TOKEN_FIELDS = {
    "bos_token_id": "cls_token",
    "seperator_token_id": "sep_token",
    "unknown_token_id": "unk_token",
    "padding_token_id": "pad_token",
    "mask_token_id": "mask_token",
}

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
    for key, field in SPECIAL_TOKEN_FIELDS.items():
        value = tokenizer_config.get(field) or BERT_SPECIAL_TOKENS[key]
        names[key] = value["content"] if isinstance(value, dict) else value
    return names


def token_classifier(config, tensors):
    """Whether the kept classifier reads every token's row
    (BertForTokenClassification) rather than the pooled embedding."""
    return ("tinyenc.classifier.weight" in tensors and
            any(a.endswith("ForTokenClassification") for a in config.get("architectures") or []))


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
        layer_attention=config.get("tinyenc_layer_attention"),
        classifier_input="tokens" if token_classifier(config, tensors) else "pooled")


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
    elif "tinyenc.classifier.weight" in tensors and not token_classifier(config, tensors):
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
        epilog="The output is llama.cpp's `bert` when llama.cpp computes the same function "
               "from it, else tinyenc's own architecture (the report says why). llama.cpp "
               "rejects unexpected tensors, so without --keep-heads the pooler and "
               "classifier are dropped. See docs/FORMAT.md.")
    parser.add_argument("hf_dir", help="folder with config.json, vocab.txt and "
                        "model.safetensors or pytorch_model.bin")
    parser.add_argument("-o", "--output", required=True, help="GGUF file to write")
    parser.add_argument("--outtype", choices=sorted(OUTTYPES), default="f16",
                        help="type of the weight matrices (default f16)")
    parser.add_argument("--pooling", choices=list(POOLING_TYPES),
                        help="bert.pooling_type (default: sentence-transformers' setting, else "
                             "cls when a sequence classifier is kept, else mean)")
    parser.add_argument("--normalize", action="store_true",
                        help="L2-normalize the pooled embedding (also implied by a "
                             "sentence-transformers Normalize module)")
    parser.add_argument("--keep-heads", action="store_true",
                        help="keep the pooler and classifier as tinyenc.* tensors; the file "
                             "is then tinyenc's, not llama.cpp's")
    args = parser.parse_args()
    run_writer("convert_hf.py", args.output,
               lambda: convert(args.hf_dir, args.output, args.outtype, args.pooling,
                               args.normalize, args.keep_heads),
               {KeyError: "config.json has no {}",  # only config.json is indexed unchecked
                ValueError: "{}", FileNotFoundError: "{}"})
