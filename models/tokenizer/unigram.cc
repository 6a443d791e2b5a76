// SentencePiece unigram as the Universal Sentence Encoder lite reference
// tokenizer (@energetic-ai/embeddings 0.2.0) computes it, quirks included
// (docs/TOKENIZERS.md): NFKC, "▁" before the text and for every U+0020, a
// Viterbi pass in which a score of exactly 0 means "unset", a back-trace
// that steps by each piece's UTF-16 length, and runs of unknowns merged.
#include <cinttypes>
#include <cstring>

#include "models/tokenizer/tokenizer_state.h"
#include "models/tokenizer/unicode_data.h"
#include "models/tokenizer/utf8.h"
#include "runtime/core/checked_math.h"

namespace tinyenc {
namespace {

namespace uc = unicode;

constexpr uint32_t kWordBoundary = 0x2581;  // ▁
// Per normalized code point: the best score (f64), the id ending there and
// the code point itself (later the back-traced ids).
constexpr size_t kScratchPerSymbol = sizeof(double) + sizeof(int32_t) + sizeof(uint32_t);

size_t DecomposedLength(const uint8_t* text, size_t length) {
  size_t count = 0;
  uint32_t parts[uc::kMaxDecomposition];
  for (size_t pos = 0; pos < length;) {
    const size_t decomposed = uc::FullDecomposition(DecodeUtf8(text, length, &pos), true, parts);
    count += decomposed == 0 ? 1 : decomposed;
  }
  return count;
}

// NFKC of the text into symbols[1..], "▁" at 0 and for each space; returns
// the symbol count. `spare` holds as many values as `symbols`.
size_t Normalize(const uint8_t* text, size_t length, uint32_t* symbols, uint32_t* spare) {
  size_t count = 0;
  uint32_t* normalized = symbols + 1;
  for (size_t pos = 0; pos < length;) {
    const uint32_t cp = DecodeUtf8(text, length, &pos);
    const size_t decomposed = uc::FullDecomposition(cp, true, normalized + count);
    if (decomposed == 0) normalized[count] = cp;
    count += decomposed == 0 ? 1 : decomposed;
  }
  uc::CanonicalOrder(normalized, count, spare);
  count = uc::CanonicalCompose(normalized, count);
  for (size_t i = 0; i < count; ++i) {
    if (normalized[i] == ' ') normalized[i] = kWordBoundary;
  }
  symbols[0] = kWordBoundary;
  return count + 1;
}

double Score(const TokenizerState& state, int32_t id) {
  if (state.f64_scores) {
    double score;
    std::memcpy(&score, state.scores + 8 * static_cast<size_t>(id), 8);
    return score;
  }
  float score;
  std::memcpy(&score, state.scores + 4 * static_cast<size_t>(id), 4);
  return score;
}

// JavaScript's string length of the piece: UTF-16 code units.
size_t Utf16Length(const PieceText& piece) {
  size_t units = 0;
  for (size_t i = 0; i < piece.size; ++i) {
    const uint8_t byte = static_cast<uint8_t>(piece.data[i]);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;
  }
  return units;
}

}  // namespace

Status CheckUnigramUnknown(const TokenizerState& state) {
  const PieceText unknown = state.vocab.Stored(static_cast<uint32_t>(state.unknown_id));
  // The back-trace steps back by the unknown piece's length; at 0 it would
  // never reach the start.
  if (Utf16Length(unknown) == 0) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "tokenizer.ggml.unknown_token_id %" PRId32
                         " is a piece of UTF-16 length 0 "
                         "('%.*s'); the unigram back-trace steps by it",
                         state.unknown_id, static_cast<int>(unknown.size < 16 ? unknown.size : 16),
                         unknown.data);
  }
  return Status::Ok();
}

size_t UnigramScratchBytes(size_t text_bytes) {
  return (CheckedSize(kScratchPerSymbol) * (CheckedSize(text_bytes) * uc::kMaxNfkdPerUtf8Byte + 2) +
          kTokenizerAlign)
      .value();
}

Status EncodeUnigram(const TokenizerState& state, const uint8_t* text, size_t length,
                     void* scratch, size_t scratch_bytes, const EncodeOutput& output) {
  *output.count = 0;
  if (output.untruncated != nullptr) *output.untruncated = 0;
  if (length == 0) return Status::Ok();
  // Room for the decomposed text; composition only shortens it.
  const size_t capacity = DecomposedLength(text, length) + 2;
  const CheckedSize needed = CheckedSize(kScratchPerSymbol) * capacity;
  uint8_t* base = static_cast<uint8_t*>(scratch);
  const size_t misalignment = reinterpret_cast<uintptr_t>(base) % kTokenizerAlign;
  const size_t skip = misalignment == 0 ? 0 : kTokenizerAlign - misalignment;
  if (base == nullptr || scratch_bytes < (needed + skip).value()) {
    return Status::Error(StatusCode::kScratchTooSmall,
                         "unigram scratch: %zu bytes, this text needs %zu", scratch_bytes,
                         (needed + kTokenizerAlign).value());
  }
  double* best = reinterpret_cast<double*>(base + skip);
  int32_t* words = reinterpret_cast<int32_t*>(best + capacity);
  uint32_t* symbols = reinterpret_cast<uint32_t*>(words + capacity);
  // words[] is free until the Viterbi pass: the ordering's working space.
  const size_t n = Normalize(text, length, symbols, reinterpret_cast<uint32_t*>(words));

  // best[e] == 0 stands for "no path yet" in the reference, so a path that
  // sums to exactly 0 (unknowns from the start) is replaced by any later one.
  for (size_t i = 0; i <= n; ++i) {
    best[i] = 0;
    words[i] = state.unknown_id;
  }
  for (size_t start = 0; start < n; ++start) {
    char piece[4 * 64];  // pieces of more than 64 code points never match
    size_t piece_bytes = 0;
    bool matched = false;
    const size_t longest = n - start < state.max_piece_chars ? n - start : state.max_piece_chars;
    for (size_t chars = 1; chars <= longest && piece_bytes + 4 <= sizeof(piece); ++chars) {
      piece_bytes += EncodeUtf8(symbols[start + chars - 1], piece + piece_bytes);
      const int32_t id = state.vocab.Find(PieceKind::kPlain, piece, piece_bytes);
      if (id < 0) continue;
      matched = true;
      const double score = Score(state, id) + best[start];
      const size_t end = start + chars;
      if (best[end] == 0 || score >= best[end]) {
        best[end] = score;
        words[end] = id;
      }
    }
    if (!matched) {  // one unknown character, score 0
      const double score = best[start];
      if (best[start + 1] == 0 || score >= best[start + 1]) {
        best[start + 1] = score;
        words[start + 1] = state.unknown_id;
      }
    }
  }

  // Back-trace into symbols[] (no longer needed), last id first.
  int32_t* reversed = reinterpret_cast<int32_t*>(symbols);
  size_t found = 0;
  for (long at = static_cast<long>(n); at > 0;) {
    const int32_t id = words[at];
    reversed[found++] = id;
    at -= static_cast<long>(Utf16Length(state.vocab.Stored(static_cast<uint32_t>(id))));
  }
  size_t total = 0;
  bool previous_unknown = false;
  for (size_t i = found; i-- > 0;) {
    const int32_t id = reversed[i];
    const bool unknown = id == state.unknown_id;
    if (!(unknown && previous_unknown)) {
      if (total < output.max_ids) output.ids[total] = id;
      ++total;
    }
    previous_unknown = unknown;
  }
  *output.count = total < output.max_ids ? total : output.max_ids;
  if (output.untruncated != nullptr) *output.untruncated = total;
  return Status::Ok();
}

}  // namespace tinyenc
