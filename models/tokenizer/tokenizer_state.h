// What a Tokenizer holds (the public class keeps it in fixed-size storage)
// and the tokenizer's GgufFile-level entry points (tests use them on
// vocabulary-only files).
#ifndef TINYENC_MODELS_TOKENIZER_TOKENIZER_STATE_H_
#define TINYENC_MODELS_TOKENIZER_TOKENIZER_STATE_H_

#include <cstddef>
#include <cstdint>

#include "models/tokenizer/vocab_index.h"
#include "runtime/core/gguf.h"
#include "tinyenc/model_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

// Special tokens matched literally in the raw text, as Hugging Face's added
// tokens: [CLS], [SEP], [UNK], [PAD], [MASK].
constexpr size_t kMaxLiteralSpecials = 5;

struct TokenizerState {
  VocabIndex vocab;
  TokenizerType type = TokenizerType::kWordPiece;
  bool initialized = false;
  // WordPiece.
  bool uncased = true;
  int32_t cls_id = -1;
  int32_t sep_id = -1;
  int32_t unknown_id = -1;
  int32_t literal_specials[kMaxLiteralSpecials] = {};
  size_t literal_special_count = 0;
  // Longest indexed piece in code points: bounds every match attempt.
  size_t max_piece_chars = 0;
  // Unigram: per-id scores as stored (f32 or f64).
  const uint8_t* scores = nullptr;
  bool f64_scores = false;
};

Status TokenizerMemoryBytes(const GgufFile& file, size_t* bytes);
// Builds the vocabulary lookup in `memory` (8-byte aligned, at least
// TokenizerMemoryBytes).
Status InitTokenizer(const GgufFile& file, void* memory, size_t bytes, TokenizerState* state);

// The two encoders behind Tokenizer::Encode; arguments as there.
struct EncodeOutput {
  int32_t* ids;
  size_t max_ids;
  size_t* count;
  size_t* untruncated;
};
Status EncodeWordPiece(const TokenizerState& state, const uint8_t* text, size_t length,
                       const EncodeOutput& output);
Status EncodeWordPiecePair(const TokenizerState& state, const uint8_t* first, size_t first_length,
                           const uint8_t* second, size_t second_length, int32_t* type_ids,
                           const EncodeOutput& output);
size_t UnigramScratchBytes(size_t text_bytes);
size_t TokenizerScratchBytes(const TokenizerState& state, size_t text_bytes);
// Checks the arguments, then runs the state's encoder.
Status EncodeText(const TokenizerState& state, const char* utf8, size_t length,
                  const EncodeOutput& output, void* scratch, size_t scratch_bytes);
Status EncodeTextPair(const TokenizerState& state, const char* first, size_t first_length,
                      const char* second, size_t second_length, int32_t* type_ids,
                      const EncodeOutput& output);
Status TokenPiece(const TokenizerState& state, int32_t id, const char** data, size_t* size);
// kBadHyperParameter when the unknown piece has UTF-16 length 0 (empty, or
// only continuation bytes): the unigram back-trace steps by that length.
Status CheckUnigramUnknown(const TokenizerState& state);
Status EncodeUnigram(const TokenizerState& state, const uint8_t* text, size_t length,
                     void* scratch, size_t scratch_bytes, const EncodeOutput& output);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_TOKENIZER_TOKENIZER_STATE_H_
