// A read-only hash index from piece text to id over a GGUF string array,
// built once into caller memory. The piece bytes stay in the file; the index
// holds, per id, where its string starts, and an open-addressing table of
// ids (16-bit when the vocabulary allows, to halve it on small targets).
// Bounds whatever the pieces are: the hash is keyed with a key chosen at
// Build, and no piece may lie more than kMaxProbe slots from its home slot
// (Build tries kMaxKeys keys, then refuses the vocabulary), so Build costs
// at most O(vocab x kMaxProbe x kMaxKeys) piece comparisons (O(vocab) for any
// vocabulary not built against the key) and Find at most kMaxProbe + 1.
#ifndef TINYENC_MODELS_TOKENIZER_VOCAB_INDEX_H_
#define TINYENC_MODELS_TOKENIZER_VOCAB_INDEX_H_

#include <cstddef>
#include <cstdint>

#include "runtime/core/gguf.h"
#include "tinyenc/status.h"

namespace tinyenc {

// A piece as the tokenizer matches it: WordPiece pieces are word-initial
// (kInitial) or continuations; unigram pieces are all kPlain.
enum class PieceKind : uint8_t { kPlain, kInitial, kContinuation, kSpecial };

struct PieceText {
  const char* data = nullptr;
  size_t size = 0;
};

// How stored tokens map to pieces.
enum class PieceForm : uint8_t {
  kPhantomSpace,  // llama.cpp's WordPiece form (docs/FORMAT.md)
  kVerbatim,      // the text as stored
};

class VocabIndex {
 public:
  static constexpr size_t kMaxProbe = 1024;
  static constexpr int kMaxKeys = 3;

  static size_t MemoryBytes(uint64_t vocab_size);

  // Indexes the tokens of `tokens` whose i32 `token_types` entry is 1
  // (normal), or, without token_types, all but kSpecial ones. A piece stored
  // twice resolves to its last id, as a later insert overwrites an earlier
  // one in the JavaScript references.
  Status Build(const GgufArray& tokens, PieceForm form, const GgufArray* token_types,
               void* memory, size_t bytes);

  // The id of the piece, or -1.
  int32_t Find(PieceKind kind, const char* data, size_t size) const;

  uint32_t size() const { return count_; }
  // As stored in the file.
  PieceText Stored(uint32_t id) const;
  // Kind and text after undoing the stored form.
  PieceKind Kind(uint32_t id, PieceText* text) const;

 private:
  uint32_t SlotId(size_t slot) const;
  void SetSlot(size_t slot, uint32_t id);
  size_t Home(PieceKind kind, const char* data, size_t size) const;
  // Indexes the wanted tokens under `key`; false on a probe run over kMaxProbe.
  bool Fill(const GgufArray* token_types, uint64_t key);

  const uint8_t* strings_ = nullptr;  // the first element of the token array
  const uint32_t* offsets_ = nullptr; // per id, from strings_
  void* slots_ = nullptr;
  uint32_t count_ = 0;
  uint32_t slot_count_ = 0;
  bool wide_ids_ = false;
  uint64_t key_ = 0;
  size_t max_probe_ = 0;  // the longest distance of a piece from its home slot
  PieceForm form_ = PieceForm::kVerbatim;
};

}  // namespace tinyenc

#endif  // TINYENC_MODELS_TOKENIZER_VOCAB_INDEX_H_
