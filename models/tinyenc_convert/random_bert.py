"""Writes a random-weight BERT GGUF file of a given shape, no checkpoint needed.

For benchmarks and firmware, where only the shape matters, e.g.
    models/make_random_bert.py --layers 6 --hidden 384 --heads 12 --ff 1536 \\
        --vocab 30522 --context 512 --outtype q8_0 -o minilm-l6-q8_0.gguf
The file has the same keys, tensors and tensor types as models/convert_hf.py
writes for a Hugging Face BERT of that shape (it uses the same code) and loads
in llama.cpp. The vocabulary is synthetic: BERT's special tokens at BERT's ids
when the vocabulary is large enough, made-up word pieces elsewhere.
"""

import argparse

import numpy as np

from .encoder_gguf import (OUTTYPES, EncoderParams, expected_tensors, run_writer,
                           write_encoder_gguf)
from .wordpiece_keys import BERT_SPECIAL_TOKENS

TOKEN_TYPES = 2
# Optional tensor groups (per layer: their kind) a plain Hugging Face BERT
# has; heads are left out so llama.cpp loads the file.
BERT_GROUPS = {"token_types", "token_embd_norm", "qkv_bias"}
BERT_SPECIAL_IDS = {"[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103}


def synthetic_vocab(size):
    if size < len(BERT_SPECIAL_IDS):
        raise ValueError(f"a vocabulary needs at least {len(BERT_SPECIAL_IDS)} tokens")
    tokens = [None] * size
    large = size > max(BERT_SPECIAL_IDS.values())
    for i, token in enumerate(BERT_SPECIAL_IDS):
        tokens[BERT_SPECIAL_IDS[token] if large else i] = token
    for i in range(size):
        if tokens[i] is None:
            tokens[i] = f"[unused{i}]" if large and i < 100 else (
                f"##p{i}" if i % 4 == 3 else f"w{i}")
    return tokens


def random_tensors(p, vocab_size, rng):
    """GGUF name -> array for every tensor a plain BERT of shape p has."""
    tensors = {}
    for name, shape, group in expected_tensors(p, vocab_size, TOKEN_TYPES, 0):
        if group is not None and group.rpartition(".")[2] not in BERT_GROUPS:
            continue
        if len(shape) == 2:
            values = rng.standard_normal(shape) * 0.05
        elif "norm" in name and name.endswith(".weight"):
            values = 1 + rng.standard_normal(shape) * 0.1
        else:
            values = rng.standard_normal(shape) * 0.05
        tensors[name] = values.astype(np.float32)
    return tensors


def random_model(layers, hidden, heads, ff, vocab, context, seed):
    """(EncoderParams, GGUF name -> float32 array) of the model main() writes
    for these options: tools/peers/ builds ONNX files from the same arrays."""
    p = EncoderParams(embedding_length=hidden, block_count=layers, feed_forward_length=ff,
                      head_count=heads, context_length=context)
    return p, random_tensors(p, vocab, np.random.default_rng(seed))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--ff", type=int, default=512)
    parser.add_argument("--vocab", type=int, default=30522)
    parser.add_argument("--context", type=int, default=512)
    parser.add_argument("--outtype", choices=sorted(OUTTYPES), default="f32")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    name = f"random-bert-L{args.layers}-H{args.hidden}"

    def write():
        p, tensors = random_model(args.layers, args.hidden, args.heads, args.ff, args.vocab,
                                  args.context, args.seed)
        return write_encoder_gguf(args.output, p, tensors, args.outtype, name,
                                  synthetic_vocab(args.vocab), BERT_SPECIAL_TOKENS)
    run_writer("make_random_bert.py", args.output, write, {ValueError: "{}"})
