// The special token ids a file names, read once by one rule for the encoder's
// config and the tokenizer alike.
#ifndef TINYENC_MODELS_SPECIAL_TOKENS_H_
#define TINYENC_MODELS_SPECIAL_TOKENS_H_

#include <cstdint>

#include "runtime/core/gguf.h"
#include "tinyenc/status.h"

namespace tinyenc {

struct SpecialTokens {
  int32_t cls = -1;  // tokenizer.ggml.bos_token_id
  int32_t sep = -1;  // tokenizer.ggml.seperator_token_id (llama.cpp's spelling)
  int32_t unknown = -1;
  int32_t padding = -1;
  int32_t mask = -1;
};

// Reads the five tokenizer.ggml.*_token_id keys. An id present in the file
// must name one of the `vocab_size` tokens. An absent one is unset (-1),
// except in a `bert` file (general.architecture), which gets llama.cpp's
// default for it (101, 102, 100, 0, 103) when the vocabulary holds that id.
Status ReadSpecialTokens(const GgufFile& file, uint32_t vocab_size, SpecialTokens* tokens);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_SPECIAL_TOKENS_H_
