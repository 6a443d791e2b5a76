// Tokenizer: reads the tokenizer keys (docs/TOKENIZERS.md), builds the
// vocabulary index and dispatches to WordPiece or unigram.
#include <cinttypes>
#include <cstdint>
#include <cstring>
#include <initializer_list>

#include "models/special_tokens.h"
#include "models/tokenizer/tokenizer_state.h"
#include "models/tokenizer/utf8.h"

namespace tinyenc {
namespace {

Status ReadType(const GgufFile& file, TokenizerType* type) {
  GgufString model;
  Status status = file.GetString("tokenizer.ggml.model", &model);
  if (!status.ok()) return status;
  if (model.Equals("bert")) {
    *type = TokenizerType::kWordPiece;
  } else if (model.Equals("use_unigram")) {
    *type = TokenizerType::kUnigram;
  } else {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "tokenizer.ggml.model '%.*s' is not one tinyenc runs (bert, use_unigram)",
                         static_cast<int>(model.size < 40 ? model.size : 40), model.data);
  }
  return Status::Ok();
}

Status ReadTokens(const GgufFile& file, GgufArray* tokens) {
  Status status = file.GetArray("tokenizer.ggml.tokens", tokens);
  if (status.ok() && (tokens->type != GgufValueType::kString || tokens->count == 0 ||
                      tokens->count >= 0x7FFFFFFF)) {
    return Status::Error(StatusCode::kKeyType,
                         "tokenizer.ggml.tokens must be a non-empty array of strings");
  }
  return status;
}

// The array of `key` when it has one i32 per token.
Status ReadPerToken(const GgufFile& file, const char* key, uint32_t vocab_size,
                    GgufArray* array) {
  Status status = file.GetArray(key, array);
  if (status.ok() && array->count != vocab_size) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "%s has %llu values for %" PRIu32 " tokens", key,
                         static_cast<unsigned long long>(array->count), vocab_size);
  }
  return status;
}

size_t CodePoints(PieceText text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size; ++i) count += (text.data[i] & 0xC0) != 0x80;
  return count;
}

Status InitWordPiece(const GgufFile& file, TokenizerState* state) {
  GgufValue value;
  if (file.FindKey("tinyenc.tokenizer.uncased", &value)) {
    Status status = file.GetBool("tinyenc.tokenizer.uncased", &state->uncased);
    if (!status.ok()) return status;
  }
  SpecialTokens special;
  Status status = ReadSpecialTokens(file, state->vocab.size(), &special);
  if (!status.ok()) return status;
  if (special.cls < 0 || special.sep < 0 || special.unknown < 0) {
    return Status::Error(StatusCode::kMissingKey,
                         "WordPiece needs tokenizer.ggml.bos_token_id, seperator_token_id and "
                         "unknown_token_id");
  }
  state->cls_id = special.cls;
  state->sep_id = special.sep;
  state->unknown_id = special.unknown;
  for (int32_t id : {special.cls, special.sep, special.unknown, special.padding, special.mask}) {
    PieceText text;
    if (id >= 0 && state->vocab.Kind(static_cast<uint32_t>(id), &text) == PieceKind::kSpecial) {
      state->literal_specials[state->literal_special_count++] = id;
    }
  }
  return Status::Ok();
}

Status InitUnigram(const GgufFile& file, TokenizerState* state) {
  const uint32_t size = state->vocab.size();
  GgufArray scores;
  Status status = file.GetArray("tokenizer.ggml.scores", &scores);
  if (!status.ok()) return status;
  if (scores.type != GgufValueType::kF64 && scores.type != GgufValueType::kF32) {
    return Status::Error(StatusCode::kKeyType, "tokenizer.ggml.scores must be f64 or f32, not %s",
                         GgufValueTypeName(scores.type));
  }
  if (scores.count != size) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "tokenizer.ggml.scores has %llu values for %" PRIu32 " tokens",
                         static_cast<unsigned long long>(scores.count), size);
  }
  state->scores = scores.data;
  state->f64_scores = scores.type == GgufValueType::kF64;
  SpecialTokens special;
  status = ReadSpecialTokens(file, size, &special);
  if (!status.ok()) return status;
  if (special.unknown < 0) {
    return Status::Error(StatusCode::kMissingKey,
                         "key 'tokenizer.ggml.unknown_token_id' is missing");
  }
  state->unknown_id = special.unknown;
  return CheckUnigramUnknown(*state);
}

}  // namespace

Status TokenizerMemoryBytes(const GgufFile& file, size_t* bytes) {
  TokenizerType type = TokenizerType::kWordPiece;
  Status status = ReadType(file, &type);
  GgufArray tokens;
  if (status.ok()) status = ReadTokens(file, &tokens);
  if (!status.ok()) return status;
  *bytes = VocabIndex::MemoryBytes(tokens.count);
  return Status::Ok();
}

Status InitTokenizer(const GgufFile& file, void* memory, size_t bytes, TokenizerState* out) {
  TokenizerState& state = *out;
  state = TokenizerState();
  if (memory == nullptr || reinterpret_cast<uintptr_t>(memory) % kTokenizerAlign != 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "tokenizer memory must be %zu-byte aligned", kTokenizerAlign);
  }
  TokenizerType type = TokenizerType::kWordPiece;
  Status status = ReadType(file, &type);
  GgufArray tokens;
  if (status.ok()) status = ReadTokens(file, &tokens);
  if (!status.ok()) return status;
  const uint32_t size = static_cast<uint32_t>(tokens.count);
  // Unigram matches only normal pieces (type 1); WordPiece all but specials.
  GgufArray types;
  if (type == TokenizerType::kUnigram) {
    status = ReadPerToken(file, "tokenizer.ggml.token_type", size, &types);
    if (!status.ok()) return status;
    if (types.type != GgufValueType::kI32) {
      return Status::Error(StatusCode::kKeyType, "tokenizer.ggml.token_type must be i32");
    }
  }
  status = state.vocab.Build(tokens, type == TokenizerType::kWordPiece ? PieceForm::kPhantomSpace
                                                                        : PieceForm::kVerbatim,
                             type == TokenizerType::kUnigram ? &types : nullptr, memory, bytes);
  if (!status.ok()) return status;
  state.type = type;
  for (uint32_t id = 0; id < size; ++id) {
    PieceText text;
    const PieceKind kind = state.vocab.Kind(id, &text);
    if (kind == PieceKind::kSpecial) continue;
    const size_t chars = CodePoints(text);
    if (chars > state.max_piece_chars) state.max_piece_chars = chars;
  }
  status = type == TokenizerType::kWordPiece ? InitWordPiece(file, &state)
                                             : InitUnigram(file, &state);
  if (!status.ok()) {
    state = TokenizerState();
    return status;
  }
  state.initialized = true;
  return Status::Ok();
}

size_t TokenizerScratchBytes(const TokenizerState& state, size_t text_bytes) {
  return state.type == TokenizerType::kUnigram ? UnigramScratchBytes(text_bytes) : 0;
}

Status EncodeText(const TokenizerState& state, const char* utf8, size_t length,
                  const EncodeOutput& output, void* scratch, size_t scratch_bytes) {
  if (!state.initialized) return Status::Error(StatusCode::kInvalidArgument, "not initialized");
  if ((utf8 == nullptr && length > 0) || (output.ids == nullptr && output.max_ids > 0) ||
      output.count == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "null text, ids or count");
  }
  const uint8_t* text = reinterpret_cast<const uint8_t*>(utf8);
  if (state.type == TokenizerType::kWordPiece) return EncodeWordPiece(state, text, length, output);
  return EncodeUnigram(state, text, length, scratch, scratch_bytes, output);
}

Status EncodeTextPair(const TokenizerState& state, const char* first, size_t first_length,
                      const char* second, size_t second_length, int32_t* type_ids,
                      const EncodeOutput& output) {
  if (!state.initialized) return Status::Error(StatusCode::kInvalidArgument, "not initialized");
  if ((first == nullptr && first_length > 0) || (second == nullptr && second_length > 0) ||
      (output.ids == nullptr && output.max_ids > 0) || output.count == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "null text, ids or count");
  }
  if (state.type != TokenizerType::kWordPiece) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "text pairs need a WordPiece tokenizer ([CLS] a [SEP] b [SEP])");
  }
  return EncodeWordPiecePair(state, reinterpret_cast<const uint8_t*>(first), first_length,
                             reinterpret_cast<const uint8_t*>(second), second_length, type_ids,
                             output);
}

Status TokenPiece(const TokenizerState& state, int32_t id, const char** data, size_t* size) {
  if (!state.initialized || id < 0 || static_cast<uint32_t>(id) >= state.vocab.size()) {
    return Status::Error(StatusCode::kTokenOutOfRange, "id %" PRId32 " is not in the vocabulary",
                         id);
  }
  const PieceText text = state.vocab.Stored(static_cast<uint32_t>(id));
  *data = text.data;
  *size = text.size;
  return Status::Ok();
}

}  // namespace tinyenc
