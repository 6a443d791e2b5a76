"""tinyenc: quantized Transformer encoders from GGUF files, on the CPU.

    import tinyenc
    model = tinyenc.Model("model.gguf")
    vectors = model.embed(["first sentence", "second sentence"])  # float32 (2, width)

The weights are mapped from the file, not copied; encoding releases the GIL.
Runtime failures raise tinyenc.Error (a RuntimeError) with the runtime's
message; inputs of the wrong type raise TypeError, bad values ValueError.
"""

import os
import warnings

import numpy as np

from tinyenc._native import Error
from tinyenc import _native

__all__ = ["Error", "Model"]

# Sequences packed into one Encode (one arena) by embed and logits.
DEFAULT_BATCH_SIZE = 32


class Model(_native.Model):
    """A GGUF encoder (docs/FORMAT.md). Properties give its configuration:
    architecture, layers, width (of the outputs), embedding_width,
    context_length, vocab_size, token_types, feature_length, labels
    (classifier outputs, 0 without a head), classifier_input ("pooled": a
    sequence classifier, "tokens": a token classifier), input ("tokens" or
    "features"), pooling, normalize, pooler (a dense tanh layer after
    pooling), activation, class_token.

    Inputs: a text is a str or UTF-8 bytes (tokenized with the file's
    tokenizer, cut to the context with a warning); a pair of texts is a
    tuple (text, text), encoded [CLS] a [SEP] b [SEP] with token types 0
    and 1 (WordPiece models: cross-encoders, sentence-pair classifiers); a
    token-id sequence is a list or 1-D array of ints; a features model takes
    float (frames, feature_length) arrays. A batch is a list of one kind of
    these.
    """

    def __init__(self, path):
        path = os.fsencode(path)
        if b"\0" in path:
            raise ValueError("the path holds a NUL byte")
        super().__init__(path)

    def tokenize(self, text, pair=None):
        """The token ids of one text (int32 array), as the model reads them:
        WordPiece adds [CLS] and [SEP]. With a pair, (ids, type_ids) of
        [CLS] text [SEP] pair [SEP], cut longest_first to the context as
        Hugging Face's tokenizers cut it."""
        if pair is None:
            return self._tokens(text, "text")
        return self._pair_tokens((text, pair), "the pair")

    def embed(self, texts, *, pooling=None, normalize=None, threads=1, type_ids=None,
              batch_size=DEFAULT_BATCH_SIZE):
        """Pooled embeddings, float32 (len(texts), width). pooling ("mean",
        "cls") and normalize default to the model's; threads=0 uses every
        core (outputs are the same for any count)."""
        return self._batch(texts, "embedding", pooling, normalize, threads, type_ids, batch_size)

    def logits(self, texts, *, threads=1, type_ids=None, batch_size=DEFAULT_BATCH_SIZE):
        """A sequence classifier's outputs, float32 (len(texts), labels): for
        a cross-encoder, logits([(query, passage), ...])."""
        if self.classifier_input == "tokens":
            raise ValueError("the model is a token classifier: token_logits(text) gives each "
                             "token's logits")
        return self._batch(texts, "logits", None, None, threads, type_ids, batch_size)

    def token_logits(self, text, *, threads=1, type_ids=None):
        """A token classifier's outputs for one input, float32 (tokens, labels)."""
        if self.classifier_input != "tokens":
            raise ValueError("the model has no token classifier (classifier_input is "
                             f"{self.classifier_input!r}, labels {self.labels})")
        return self._one(text, "logits", threads, type_ids)

    def hidden_states(self, text, *, threads=1, type_ids=None):
        """Final hidden states of one input, float32 (tokens, width)."""
        return self._one(text, "hidden", threads, type_ids)

    def _one(self, item, output, threads, type_ids):
        sequences, pair_types = self._sequences([item])
        types = pair_types
        if type_ids is not None:
            if pair_types is not None:
                raise ValueError("a pair of texts brings its own type_ids")
            types = [_int32(type_ids, "type_ids")]
        return self._encode(sequences, types, output, None, None, threads)

    def _batch(self, items, output, pooling, normalize, threads, type_ids, batch_size):
        if isinstance(items, (str, bytes)):
            items = [items]
        items = list(items)
        if not items:
            raise ValueError("the batch is empty: give at least one input")
        sequences, types = self._sequences(items)
        if type_ids is not None and types is not None:
            raise ValueError("pairs of texts bring their own type_ids")
        if type_ids is not None:
            types = [None if t is None else _int32(t, f"type_ids[{i}]")
                     for i, t in enumerate(type_ids)]
            if len(types) != len(sequences):
                raise ValueError(f"type_ids has {len(types)} sequences, the batch {len(sequences)}")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        parts = []
        for start in range(0, len(sequences), batch_size):
            end = start + batch_size
            parts.append(self._encode(sequences[start:end],
                                      None if types is None else types[start:end],
                                      output, pooling, normalize, threads))
        return np.concatenate(parts)

    def _sequences(self, items):
        """The items' ids or features, and their type ids when they are pairs
        of texts (else None)."""
        kinds = [_kind(item, f"item {i}") for i, item in enumerate(items)]
        if len(set(kinds)) > 1:
            first = kinds[0]
            other = next(i for i, kind in enumerate(kinds) if kind != first)
            raise TypeError(f"the batch mixes kinds: item 0 is {first}, item {other} is "
                            f"{kinds[other]}")
        if kinds[0] == "text pair":
            pairs = [self._pair_tokens(item, f"item {i}") for i, item in enumerate(items)]
            return [ids for ids, _ in pairs], [types for _, types in pairs]
        return [self._sequence(item, f"item {i}") for i, item in enumerate(items)], None

    def _sequence(self, item, what):
        kind = _kind(item, what)
        if kind == "text":
            return self._tokens(item, what)
        if kind == "token ids":
            return _int32(item, what)
        return np.ascontiguousarray(item, dtype=np.float32)

    def _tokens(self, text, what):
        ids, _, untruncated = self._tokenize(_utf8(text, what))
        if untruncated > len(ids):
            warnings.warn(f"{what} gives {untruncated} tokens; kept the first {len(ids)} "
                          f"(the model's context)", stacklevel=2)
        return ids

    def _pair_tokens(self, pair, what):
        first, second = pair
        ids, types, untruncated = self._tokenize(_utf8(first, f"{what}'s first text"),
                                                 _utf8(second, f"{what}'s second text"))
        if untruncated > len(ids):
            warnings.warn(f"{what} gives {untruncated} tokens; kept {len(ids)}, cut from the "
                          "longer text first (the model's context)", stacklevel=2)
        return ids, types


def _utf8(text, what):
    """text as UTF-8 bytes; TypeError for a non-text, ValueError for bad UTF-8."""
    if not isinstance(text, (str, bytes)):
        raise TypeError(f"{what} must be a str or bytes, not {type(text).__name__}")
    # The tokenizer would read invalid UTF-8 as U+FFFD; from Python, a lone
    # surrogate or a bad byte is more likely a mistake.
    try:
        utf8 = text.encode("utf-8") if isinstance(text, str) else text
        utf8.decode("utf-8")
    except UnicodeError as error:
        raise ValueError(f"{what} is not valid UTF-8 text: {error}") from error
    return utf8


def _kind(item, what):
    """"text", "text pair", "token ids" or "features"; TypeError for anything else."""
    if isinstance(item, (str, bytes)):
        return "text"
    if isinstance(item, tuple) and len(item) == 2 and all(isinstance(t, (str, bytes))
                                                          for t in item):
        return "text pair"
    try:
        array = None if np.isscalar(item) else np.asarray(item)
    except ValueError:  # ragged nesting
        array = None
    if array is not None and array.ndim == 1 and (array.dtype.kind in "iu" or array.size == 0):
        return "token ids"
    if array is not None and array.ndim == 2 and array.dtype.kind in "iuf":
        return "features"
    raise TypeError(f"{what} is a {type(item).__name__}: inputs are texts (str, bytes), "
                    "pairs of texts (a tuple of two), token-id sequences (1-D ints) or features "
                    "(2-D floats)")


def _int32(values, what):
    """values as a contiguous int32 array; ValueError for ids int32 cannot hold."""
    array = np.asarray(values)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise TypeError(f"{what} must be a 1-D sequence of ints")
    ids = array.astype(np.int32)
    if not np.array_equal(ids, array):
        raise ValueError(f"{what} holds a value outside int32")
    return ids
