// Text to token ids for a loaded Model, with the tokenizer its file names
// (docs/TOKENIZERS.md): WordPiece as Hugging Face's BertTokenizer, or the
// SentencePiece unigram tokenizer of Universal Sentence Encoder lite.
//
// Memory: Init builds the vocabulary lookup (a hash table over the pieces
// held in the file) into caller memory sized by MemoryBytes, like the arena;
// the piece bytes themselves stay in the model file. After Init a Tokenizer
// is read-only, so threads may share it; Encode allocates nothing. WordPiece
// streams the text through fixed stack buffers; the unigram Viterbi needs
// scratch proportional to the text, sized by ScratchBytes.
//
// Time, whatever the pieces and the text (files and text may be hostile):
// the lookup is a hash keyed at Init with every piece within 1024 slots of
// its home (a vocabulary that cannot be placed so under three keys is refused),
// so Init is linear in the vocabulary and each lookup costs at most 1025 piece
// comparisons. Encode is linear in the text times the longest piece (in code
// points): normalization, canonical ordering of combining marks included, is
// linear, and each position tries at most one lookup per piece length.
#ifndef TINYENC_TOKENIZER_H_
#define TINYENC_TOKENIZER_H_

#include <cstddef>
#include <cstdint>

#include "tinyenc/model_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

class Model;

// Bytes a Tokenizer occupies; fixed so C code can hold one.
constexpr size_t kTokenizerBytes = 160;

class Tokenizer {
 public:
  Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Bytes of lookup memory Init needs for `model`'s vocabulary; fails when
  // the model has no vocabulary or a tokenizer tinyenc does not know.
  static Status MemoryBytes(const Model& model, size_t* bytes);

  // Builds the lookup into `memory` (kTokenizerAlign-aligned, at least
  // MemoryBytes). The model and the memory must outlive the Tokenizer.
  Status Init(const Model& model, void* memory, size_t bytes);

  bool initialized() const;
  TokenizerType type() const;
  uint32_t vocab_size() const;

  // Scratch bytes Encode needs for any text of at most `text_bytes` bytes:
  // 0 for WordPiece. SIZE_MAX when the size does not fit in size_t (a text
  // of tens of MB on a 32-bit target): no scratch is that large, so Encode
  // then fails with kScratchTooSmall.
  size_t ScratchBytes(size_t text_bytes) const;

  // Encodes `length` bytes of UTF-8 (invalid sequences read as U+FFFD, one
  // per maximal invalid subpart, as WHATWG decoders do) into at most
  // `max_ids` ids and sets *count to the number written.
  // - WordPiece: [CLS] pieces [SEP]; a longer result is truncated the way
  //   Hugging Face truncates, keeping [CLS] and [SEP] (max_ids must be >= 2).
  // - Unigram: the reference's ids, nothing added; truncated to the first
  //   max_ids. `scratch` must hold ScratchBytes(length) bytes.
  // *untruncated, when not null, gets the count before truncation.
  Status Encode(const char* utf8, size_t length, int32_t* ids, size_t max_ids, size_t* count,
                void* scratch = nullptr, size_t scratch_bytes = 0,
                size_t* untruncated = nullptr) const;

  // Encodes a pair of texts as Hugging Face's BertTokenizer does (WordPiece
  // only): [CLS] first [SEP] second [SEP], into at most `max_ids` ids (at
  // least 3); `type_ids`, when not null, gets as many token types: 0 up to
  // the first [SEP], 1 after it. A longer pair is truncated as its
  // longest_first strategy truncates: the longer text loses its last pieces
  // until both are as long, then both lose them in turn. *untruncated, when
  // not null, gets the count before truncation.
  Status EncodePair(const char* first, size_t first_length, const char* second,
                    size_t second_length, int32_t* ids, int32_t* type_ids, size_t max_ids,
                    size_t* count, size_t* untruncated = nullptr) const;

  // The piece of `id` as stored in the file (not NUL-terminated).
  Status Piece(int32_t id, const char** data, size_t* size) const;

 private:
  friend struct TokenizerAccess;
  alignas(8) unsigned char state_[kTokenizerBytes];
};

}  // namespace tinyenc

#endif  // TINYENC_TOKENIZER_H_
