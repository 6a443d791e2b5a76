#!/usr/bin/python3
"""Writes the fuzzers' seed corpora (tests/fuzz/corpus/), small on purpose:
the model seeds are one-layer 32-wide random BERTs (models/make_random_bert.py)
and a tiny keyword model (features in through an audio front end, a class
token, a classifier),
the tokenizer seeds a model's vocabulary or a tiny unigram one framed with a
text (tokenizer_fuzz.cc says how). The GGUF reader's seeds are the model seeds
and the unigram vocabulary. Re-run after changing the file format.
Usage: tests/fuzz/make_seeds.py (from the source root)"""

import os
import struct
import subprocess
import sys

sys.path.insert(0, "models")
from tinyenc_convert.gguf_types import TokenType, ValueType  # noqa: E402
from tinyenc_convert.gguf_writer import GGUFWriter  # noqa: E402
from tinyenc_convert.encoder_gguf import POOLING_TYPES, EncoderParams, write_encoder_gguf  # noqa: E402
from tinyenc_convert.kwt_tflite import FrontEnd, audio_writer  # noqa: E402
from tinyenc_convert.random_bert import random_tensors  # noqa: E402

CORPUS = "tests/fuzz/corpus"


def unigram_vocab():
    pieces = ["<unk>", "\u2581", "\u2581a", "a", "b", "ab", "\u2581ab", "c", "\u00e9", "e\u0301"]
    writer = GGUFWriter()
    writer.add_string("tokenizer.ggml.model", "use_unigram")
    writer.add_array("tokenizer.ggml.tokens", ValueType.STRING, pieces)
    writer.add_array("tokenizer.ggml.scores", ValueType.F32, [-float(i) for i in range(len(pieces))])
    writer.add_array("tokenizer.ggml.token_type", ValueType.I32,
                     [TokenType.UNKNOWN] + [TokenType.NORMAL] * (len(pieces) - 1))
    writer.add_u32("tokenizer.ggml.unknown_token_id", 0)
    return writer.to_bytes()


def keyword_model(path):
    """KWT's structure at toy size: 5 frames of 12 samples (stride 4, a
    16-point DFT), 4 mel bins, 6 features, one 8-wide layer, 3 labels."""
    import numpy as np  # pylint: disable=import-outside-toplevel
    rng = np.random.default_rng(1)
    p = EncoderParams(embedding_length=8, block_count=1, feed_forward_length=16, head_count=1,
                      context_length=6, activation="gelu_tanh", pooling=POOLING_TYPES["cls"],
                      feature_length=6)
    tensors = {name: array for name, array in random_tensors(p, 0, rng).items()
               if not name.startswith("tinyenc.classifier")}
    tensors["tinyenc.class_token"] = rng.standard_normal(8).astype(np.float32)
    tensors["tinyenc.classifier.weight"] = rng.standard_normal((3, 8)).astype(np.float32)
    tensors["tinyenc.classifier.bias"] = np.zeros(3, np.float32)
    front_end = FrontEnd(window_length=12, window_stride=4, frame_count=5, fft_length=16,
                         log_epsilon=1e-6, window=np.hanning(12).astype(np.float32),
                         mel=rng.random((4, 9)).astype(np.float32),
                         dct=rng.standard_normal((6, 4)).astype(np.float32))
    write_encoder_gguf(path, p, tensors, "q8_0", "keyword-toy",
                       extra=audio_writer(front_end, ["_silence_", "yes", "no"], 16000))


def framed(gguf, text):
    # tokenizer_fuzz.cc: u32 GGUF length, the GGUF, then the text.
    return struct.pack("<I", len(gguf)) + gguf + text.encode()


def main():
    for kind in ("model", "gguf", "tokenizer"):
        os.makedirs(f"{CORPUS}/{kind}", exist_ok=True)
    models = []
    for outtype in ("q8_0", "q4_0"):
        path = f"{CORPUS}/model/bert-L1-H32-{outtype}.gguf"
        subprocess.run([sys.executable, "models/make_random_bert.py", "--layers", "1", "--hidden",
                        "32", "--heads", "2", "--ff", "64", "--vocab", "110", "--context", "16",
                        "--outtype", outtype, "-o", path], check=True)
        with open(path, "rb") as f:
            models.append(f.read())
    keyword_model(f"{CORPUS}/model/keyword-toy-q8_0.gguf")
    unigram = unigram_vocab()
    seeds = {"gguf/unigram.gguf": unigram, "gguf/bert-q4_0.gguf": models[1],
             "tokenizer/unigram-text": framed(unigram, "ab a\u0301\u0316 \ufdfa"),
             "tokenizer/bert-text": framed(models[1], "Hello, world! [CLS] caf\u00e9")}
    for name, data in seeds.items():
        with open(f"{CORPUS}/{name}", "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
