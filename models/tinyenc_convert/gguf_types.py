"""Numbers GGUF files use (docs/FORMAT.md): the types of key/values and
llama.cpp's token types. Standard library only."""


class ValueType:
    """GGUF value types (docs/FORMAT.md section 1)."""
    U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 = range(13)


class TokenType:
    """llama.cpp's token types, the values of tokenizer.ggml.token_type."""
    NORMAL, UNKNOWN, CONTROL = 1, 2, 3
