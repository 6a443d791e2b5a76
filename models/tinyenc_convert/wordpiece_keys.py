"""GGUF keys of a `bert` (WordPiece) vocabulary, as llama.cpp writes them
(docs/TOKENIZERS.md). Standard library only."""

from .gguf_types import TokenType, ValueType

# GGUF key suffix (tokenizer.ggml.*) -> BERT's token for it.
BERT_SPECIAL_TOKENS = {
    "bos_token_id": "[CLS]",
    "seperator_token_id": "[SEP]",  # sic: llama.cpp's spelling
    "unknown_token_id": "[UNK]",
    "padding_token_id": "[PAD]",
    "mask_token_id": "[MASK]",
}
PHANTOM_SPACE = "\u2581"


def phantom_space_token(token, special):
    """(stored form, token type). Bracketed tokens are stored as they are, but
    only the tokenizer's own special tokens are control tokens: llama.cpp
    takes control tokens in text as units, while Hugging Face's BertTokenizer
    splits "[unused0]" like any other text (and llama.cpp's converter marks
    it normal)."""
    if len(token) > 2 and token.startswith("[") and token.endswith("]"):
        return token, TokenType.CONTROL if token in special else TokenType.NORMAL
    if len(token) > 2 and token.startswith("##"):
        return token[2:], TokenType.NORMAL
    return PHANTOM_SPACE + token, TokenType.NORMAL


def add_vocabulary(writer, vocab, special_tokens):
    """vocab: vocab.txt's tokens in id order; special_tokens: GGUF key suffix
    -> token, as BERT_SPECIAL_TOKENS."""
    special = set(special_tokens.values())
    forms, types = zip(*(phantom_space_token(t, special) for t in vocab))
    writer.add_string("tokenizer.ggml.model", "bert")
    writer.add_array("tokenizer.ggml.tokens", ValueType.STRING, forms)
    writer.add_array("tokenizer.ggml.token_type", ValueType.I32, types)
    index = {token: i for i, token in reversed(list(enumerate(vocab)))}  # first occurrence
    for key, token in special_tokens.items():
        if token not in index:
            raise ValueError(f"special token {token} ({key}) is not in the vocabulary")
        writer.add_u32(f"tokenizer.ggml.{key}", index[token])
