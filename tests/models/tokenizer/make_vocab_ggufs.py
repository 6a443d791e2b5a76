#!/usr/bin/python3
"""Build step for the tokenizer tests: writes vocabulary-only GGUF files,
through the converters' own code, for the vocabularies this machine has:

- bert-vocab.gguf from ../shared/data/bert-vocab (the real uncased BERT
  vocabulary; never copied into the repository), as models/convert_hf.py
  writes it;
- use-vocab.gguf from the USE-lite npm package's vocab.json, found where
  tests/models/use/convert_use_models.py looks (use_lite.find_dist), as
  models/convert_tfjs_use.py writes it.

Usage: PYTHONPATH=SOURCE_ROOT/models make_vocab_ggufs.py SOURCE_ROOT OUT_DIR STAMP
STAMP gets one line per vocabulary: where it came from, or why it is absent
(the tests then skip and print that line).
"""

import json
import os
import sys

from tinyenc_convert.gguf_writer import GGUFWriter
from tinyenc_convert.hf import read_json, read_vocab, special_token_names
from tinyenc_convert.sentencepiece_keys import add_keys, use_unigram_keys
from tinyenc_convert.use_lite import find_dist
from tinyenc_convert.wordpiece_keys import add_vocabulary


def write_if_stale(path, inputs, make_writer):
    if os.path.exists(path) and os.path.getmtime(path) >= max(map(os.path.getmtime, inputs)):
        return
    make_writer().write(path + ".tmp")
    os.replace(path + ".tmp", path)


def bert_writer(vocab_dir):
    writer = GGUFWriter()
    config_path = os.path.join(vocab_dir, "tokenizer_config.json")
    config = read_json(config_path) if os.path.exists(config_path) else {}
    add_vocabulary(writer, read_vocab(vocab_dir), special_token_names(config))
    writer.add_bool("tinyenc.tokenizer.uncased", config.get("do_lower_case", True))
    return writer


def use_writer(vocab_path):
    writer = GGUFWriter()
    with open(vocab_path, encoding="utf-8") as f:
        add_keys(writer, use_unigram_keys(json.load(f)))
    return writer


def main():
    source_root, out_dir, stamp = sys.argv[1:4]
    lines = []
    bert_dir = os.path.join(source_root, "..", "shared", "data", "bert-vocab")
    if os.path.isfile(os.path.join(bert_dir, "vocab.txt")):
        inputs = [os.path.join(bert_dir, name) for name in os.listdir(bert_dir)]
        write_if_stale(os.path.join(out_dir, "bert-vocab.gguf"), inputs,
                       lambda: bert_writer(bert_dir))
        lines.append("bert: from " + os.path.realpath(bert_dir))
    else:
        lines.append("bert: absent: no vocab.txt in " + os.path.realpath(bert_dir))
    dist, candidates = find_dist(source_root)
    if dist is not None:
        vocab_path = os.path.join(dist, "vocab.json")
        write_if_stale(os.path.join(out_dir, "use-vocab.gguf"), [vocab_path],
                       lambda: use_writer(vocab_path))
        lines.append("use: from " + dist)
    else:
        lines.append("use: absent: no model.json in " + " or ".join(c for c in candidates if c))
    with open(stamp, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
