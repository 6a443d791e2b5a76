// Tokenizer: reads the tokenizer keys (docs/TOKENIZERS.md), builds the
// vocabulary index and dispatches to WordPiece or unigram.
#include "tinyenc/tokenizer.h"

#include <cstdint>
#include <cstring>

#include "models/tokenizer/tokenizer_state.h"
#include "models/tokenizer/utf8.h"
#include "runtime/model_state.h"

namespace tinyenc {
namespace {

static_assert(sizeof(TokenizerState) <= kTokenizerBytes, "raise kTokenizerBytes");
static_assert(alignof(TokenizerState) <= 8, "Tokenizer storage is 8-aligned");

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

// An id key, `fallback` when absent; must name a token.
Status ReadId(const GgufFile& file, const char* key, int32_t fallback, uint32_t vocab_size,
              int32_t* id) {
  GgufValue value;
  uint32_t read = static_cast<uint32_t>(fallback);
  if (file.FindKey(key, &value)) {
    Status status = file.GetU32(key, &read);
    if (!status.ok()) return status;
  }
  if (read >= vocab_size) {
    return Status::Error(StatusCode::kBadHyperParameter, "%s %u is not below the vocabulary %u",
                         key, read, vocab_size);
  }
  *id = static_cast<int32_t>(read);
  return Status::Ok();
}

// The array of `key` when it has one i32 per token.
Status ReadPerToken(const GgufFile& file, const char* key, uint32_t vocab_size,
                    GgufArray* array) {
  Status status = file.GetArray(key, array);
  if (status.ok() && array->count != vocab_size) {
    return Status::Error(StatusCode::kBadHyperParameter, "%s has %llu values for %u tokens",
                         key, static_cast<unsigned long long>(array->count), vocab_size);
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
  const uint32_t size = state->vocab.size();
  struct SpecialKey {
    const char* key;
    int32_t fallback;  // llama.cpp's defaults
    int32_t* id;
  };
  int32_t padding_id = -1, mask_id = -1;
  const SpecialKey keys[kMaxLiteralSpecials] = {
      {"tokenizer.ggml.bos_token_id", 101, &state->cls_id},
      {"tokenizer.ggml.seperator_token_id", 102, &state->sep_id},
      {"tokenizer.ggml.unknown_token_id", 100, &state->unknown_id},
      {"tokenizer.ggml.padding_token_id", 0, &padding_id},
      {"tokenizer.ggml.mask_token_id", 103, &mask_id},
  };
  for (const SpecialKey& key : keys) {
    Status status = ReadId(file, key.key, key.fallback, size, key.id);
    if (!status.ok()) return status;
    PieceText text;
    if (state->vocab.Kind(static_cast<uint32_t>(*key.id), &text) == PieceKind::kSpecial) {
      state->literal_specials[state->literal_special_count++] = *key.id;
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
                         "tokenizer.ggml.scores has %llu values for %u tokens",
                         static_cast<unsigned long long>(scores.count), size);
  }
  state->scores = scores.data;
  state->f64_scores = scores.type == GgufValueType::kF64;
  GgufValue value;
  if (!file.FindKey("tokenizer.ggml.unknown_token_id", &value)) {
    return Status::Error(StatusCode::kMissingKey,
                         "key 'tokenizer.ggml.unknown_token_id' is missing");
  }
  return ReadId(file, "tokenizer.ggml.unknown_token_id", 0, size, &state->unknown_id);
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

Status InitTokenizer(const GgufFile& file, void* memory, size_t bytes, Tokenizer* tokenizer) {
  TokenizerState& state = TokenizerAccess::State(*tokenizer);
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

Tokenizer::Tokenizer() { new (state_) TokenizerState(); }

Status Tokenizer::MemoryBytes(const Model& model, size_t* bytes) {
  if (!model.loaded()) return Status::Error(StatusCode::kInvalidArgument, "model not loaded");
  return TokenizerMemoryBytes(ModelAccess::State(model).file, bytes);
}

Status Tokenizer::Init(const Model& model, void* memory, size_t bytes) {
  if (!model.loaded()) return Status::Error(StatusCode::kInvalidArgument, "model not loaded");
  return InitTokenizer(ModelAccess::State(model).file, memory, bytes, this);
}

bool Tokenizer::initialized() const { return TokenizerAccess::State(*this).initialized; }
TokenizerType Tokenizer::type() const { return TokenizerAccess::State(*this).type; }
uint32_t Tokenizer::vocab_size() const { return TokenizerAccess::State(*this).vocab.size(); }

size_t Tokenizer::ScratchBytes(size_t text_bytes) const {
  return type() == TokenizerType::kUnigram ? UnigramScratchBytes(text_bytes) : 0;
}

Status Tokenizer::Encode(const char* utf8, size_t length, int32_t* ids, size_t max_ids,
                         size_t* count, void* scratch, size_t scratch_bytes,
                         size_t* untruncated) const {
  const TokenizerState& state = TokenizerAccess::State(*this);
  if (!state.initialized) return Status::Error(StatusCode::kInvalidArgument, "not initialized");
  if ((utf8 == nullptr && length > 0) || (ids == nullptr && max_ids > 0) || count == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "null text, ids or count");
  }
  const EncodeOutput output = {ids, max_ids, count, untruncated};
  const uint8_t* text = reinterpret_cast<const uint8_t*>(utf8);
  if (state.type == TokenizerType::kWordPiece) return EncodeWordPiece(state, text, length, output);
  return EncodeUnigram(state, text, length, scratch, scratch_bytes, output);
}

Status Tokenizer::Piece(int32_t id, const char** data, size_t* size) const {
  const TokenizerState& state = TokenizerAccess::State(*this);
  if (!state.initialized || id < 0 || static_cast<uint32_t>(id) >= state.vocab.size()) {
    return Status::Error(StatusCode::kTokenOutOfRange, "id %d is not in the vocabulary", id);
  }
  const PieceText text = state.vocab.Stored(static_cast<uint32_t>(id));
  *data = text.data;
  *size = text.size;
  return Status::Ok();
}

}  // namespace tinyenc
