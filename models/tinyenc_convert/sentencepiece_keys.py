"""GGUF key/value entries for a `use_unigram` vocabulary (docs/TOKENIZERS.md).

Standard library only:

    from tinyenc_convert.sentencepiece_keys import use_unigram_keys, add_keys
    add_keys(writer, use_unigram_keys(vocab))   # vocab: vocab.json's [[piece, score], ...]
"""

from collections import namedtuple

from .gguf_types import TokenType, ValueType

# The reference tokenizer never matches the first entries of vocab.json
# (its RESERVED_SYMBOLS_COUNT); the first of them is its unknown piece.
USE_RESERVED_PIECES = 6
USE_UNKNOWN_ID = 0

# One key: `value_type` is a GGUF value type; for ARRAY, `element_type` is the
# elements' type and `value` a list.
Entry = namedtuple("Entry", "key value_type value element_type")


def use_unigram_keys(vocab, reserved=USE_RESERVED_PIECES, unknown_id=USE_UNKNOWN_ID):
    """Entries for USE-lite's vocab.json list of [piece, score], in id order."""
    if not 0 <= unknown_id < reserved <= len(vocab):
        raise ValueError(f"unknown id {unknown_id} and {reserved} reserved pieces "
                         f"do not fit {len(vocab)} pieces")
    pieces, scores = [], []
    for index, entry in enumerate(vocab):
        piece, score = entry
        if not isinstance(piece, str) or not isinstance(score, (int, float, type(None))):
            raise ValueError(f"vocab entry {index} is not [piece, score]: {entry!r}")
        pieces.append(piece)
        # USE-lite's vocab.json has null scores (pieces with ':'); the reference
        # adds them to doubles, where null counts as 0.
        scores.append(0.0 if score is None else float(score))
    types = [TokenType.NORMAL] * len(pieces)
    for index in range(reserved):
        types[index] = TokenType.UNKNOWN if index == unknown_id else TokenType.CONTROL
    return [
        Entry("tokenizer.ggml.model", ValueType.STRING, "use_unigram", None),
        Entry("tokenizer.ggml.tokens", ValueType.ARRAY, pieces, ValueType.STRING),
        Entry("tokenizer.ggml.scores", ValueType.ARRAY, scores, ValueType.F64),
        Entry("tokenizer.ggml.token_type", ValueType.ARRAY, types, ValueType.I32),
        Entry("tokenizer.ggml.unknown_token_id", ValueType.U32, unknown_id, None),
    ]


def add_keys(writer, entries):
    """Adds entries to a gguf_writer.GGUFWriter."""
    for entry in entries:
        if entry.value_type == ValueType.ARRAY:
            writer.add_array(entry.key, entry.element_type, entry.value)
        else:
            writer.add_value(entry.key, entry.value_type, entry.value)
