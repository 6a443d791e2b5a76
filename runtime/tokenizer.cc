// The public Tokenizer: the model layer's tokenizer state in fixed-size
// storage, initialized from a loaded Model's file.
#include "tinyenc/tokenizer.h"

#include <new>

#include "runtime/model_state.h"

namespace tinyenc {

static_assert(sizeof(TokenizerState) <= kTokenizerBytes, "raise kTokenizerBytes");
static_assert(alignof(TokenizerState) <= 8, "Tokenizer storage is 8-aligned");

Tokenizer::Tokenizer() { new (state_) TokenizerState(); }

Status Tokenizer::MemoryBytes(const Model& model, size_t* bytes) {
  if (!model.loaded()) return Status::Error(StatusCode::kInvalidArgument, "model not loaded");
  return TokenizerMemoryBytes(ModelAccess::State(model).file, bytes);
}

Status Tokenizer::Init(const Model& model, void* memory, size_t bytes) {
  if (!model.loaded()) return Status::Error(StatusCode::kInvalidArgument, "model not loaded");
  return InitTokenizer(ModelAccess::State(model).file, memory, bytes,
                       &TokenizerAccess::State(*this));
}

bool Tokenizer::initialized() const { return TokenizerAccess::State(*this).initialized; }
TokenizerType Tokenizer::type() const { return TokenizerAccess::State(*this).type; }
uint32_t Tokenizer::vocab_size() const { return TokenizerAccess::State(*this).vocab.size(); }

size_t Tokenizer::ScratchBytes(size_t text_bytes) const {
  return TokenizerScratchBytes(TokenizerAccess::State(*this), text_bytes);
}

Status Tokenizer::Encode(const char* utf8, size_t length, int32_t* ids, size_t max_ids,
                         size_t* count, void* scratch, size_t scratch_bytes,
                         size_t* untruncated) const {
  const EncodeOutput output = {ids, max_ids, count, untruncated};
  return EncodeText(TokenizerAccess::State(*this), utf8, length, output, scratch, scratch_bytes);
}

Status Tokenizer::EncodePair(const char* first, size_t first_length, const char* second,
                             size_t second_length, int32_t* ids, int32_t* type_ids,
                             size_t max_ids, size_t* count, size_t* untruncated) const {
  const EncodeOutput output = {ids, max_ids, count, untruncated};
  return EncodeTextPair(TokenizerAccess::State(*this), first, first_length, second, second_length,
                        type_ids, output);
}

Status Tokenizer::Piece(int32_t id, const char** data, size_t* size) const {
  return TokenPiece(TokenizerAccess::State(*this), id, data, size);
}

}  // namespace tinyenc
