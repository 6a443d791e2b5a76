// WordPiece as Hugging Face's BertTokenizer (tokenizer.json run by
// Transformers.js), streamed: each code point goes through clean-up, CJK
// isolation, lower-casing, accent stripping and the pre-tokenizer, and words
// collect in a fixed buffer. docs/TOKENIZERS.md lists the rules and where
// the references disagree.
#include <cstring>

#include "models/tokenizer/tokenizer_state.h"
#include "models/tokenizer/unicode_data.h"
#include "models/tokenizer/utf8.h"

namespace tinyenc {
namespace {

namespace uc = unicode;

// Longer words (in code points, after normalization) become [UNK].
constexpr size_t kMaxWordChars = 100;
// Non-starters that survive accent stripping (viramas and the like), held to
// be put in canonical order; longer runs are passed on as they come.
constexpr size_t kMaxPendingMarks = 16;
constexpr uint32_t kCapitalSigma = 0x3A3, kSmallSigma = 0x3C3, kFinalSigma = 0x3C2;

class WordPieceEncoder {
 public:
  // Writes the first `keep` pieces of the text to `ids` and counts them all.
  WordPieceEncoder(const TokenizerState& state, const uint8_t* text, size_t length, int32_t* ids,
                   size_t keep)
      : state_(state), text_(text), length_(length), ids_(ids), keep_(keep) {}

  void Run() {
    size_t section_start = 0, pos = 0;
    while (pos <= length_) {
      int32_t special = -1;
      const size_t special_bytes = pos < length_ ? MatchSpecial(pos, &special) : 0;
      if (pos == length_ || special_bytes > 0) {
        EncodeSection(section_start, pos);
        if (special_bytes > 0) Emit(special);
        pos += special_bytes == 0 ? 1 : special_bytes;
        section_start = pos;
      } else {
        ++pos;
      }
    }
  }

  size_t emitted() const { return written_; }
  size_t total() const { return total_; }

 private:
  // Bytes of the longest literal special token at text_[pos], 0 if none.
  size_t MatchSpecial(size_t pos, int32_t* id) const {
    size_t best = 0;
    for (size_t i = 0; i < state_.literal_special_count; ++i) {
      const PieceText piece = state_.vocab.Stored(static_cast<uint32_t>(state_.literal_specials[i]));
      if (piece.size > best && piece.size <= length_ - pos &&
          std::memcmp(text_ + pos, piece.data, piece.size) == 0) {
        best = piece.size;
        *id = state_.literal_specials[i];
      }
    }
    return best;
  }

  // Text between special tokens is normalized on its own, as the reference does.
  void EncodeSection(size_t begin, size_t end) {
    after_cased_ = false;
    size_t pos = begin;
    while (pos < end) {
      const uint32_t cp = DecodeUtf8(text_, end, &pos);
      if (uc::Has(cp, uc::kRemoved)) continue;
      const uint32_t cleaned = uc::Has(cp, uc::kSpace) ? ' ' : cp;
      if (uc::IsCjkIdeograph(cleaned)) {
        Lower(' ', pos, end);
        Lower(cleaned, pos, end);
        Lower(' ', pos, end);
      } else {
        Lower(cleaned, pos, end);
      }
    }
    FlushMarks();
    EndWord();
  }

  void Lower(uint32_t cp, size_t next, size_t end) {
    if (!state_.uncased) {
      PreTokenize(cp);
      return;
    }
    uint32_t lowered[3];
    size_t count;
    if (cp == kCapitalSigma) {
      lowered[0] = after_cased_ && !FollowedByCased(next, end) ? kFinalSigma : kSmallSigma;
      count = 1;
    } else {
      count = uc::Lowercase(cp, lowered);
      if (count == 0) {
        lowered[0] = cp;
        count = 1;
      }
    }
    if (!uc::Has(cp, uc::kCaseIgnorable)) after_cased_ = uc::Has(cp, uc::kCased);
    for (size_t i = 0; i < count; ++i) StripAccents(lowered[i]);
  }

  // Final_Sigma's look-ahead: is the next character that is not
  // case-ignorable (in the cleaned text) cased?
  bool FollowedByCased(size_t pos, size_t end) const {
    while (pos < end) {
      const uint32_t cp = DecodeUtf8(text_, end, &pos);
      if (uc::Has(cp, uc::kRemoved)) continue;
      if (uc::Has(cp, uc::kSpace) || uc::IsCjkIdeograph(cp)) return false;
      if (!uc::Has(cp, uc::kCaseIgnorable)) return uc::Has(cp, uc::kCased);
    }
    return false;
  }

  // NFD, then drop Mn. Canonical ordering only matters for the non-starters
  // that stay, within runs that starters (Mn ones included) delimit.
  void StripAccents(uint32_t cp) {
    uint32_t decomposed[uc::kMaxDecomposition];
    size_t count = uc::FullDecomposition(cp, false, decomposed);
    if (count == 0) {
      decomposed[0] = cp;
      count = 1;
    }
    for (size_t i = 0; i < count; ++i) {
      const uint32_t part = decomposed[i];
      const bool mark = uc::Has(part, uc::kNonspacingMark);
      if (uc::CombiningClass(part) == 0) {
        FlushMarks();
        if (!mark) PreTokenize(part);
      } else if (!mark) {
        if (mark_count_ == kMaxPendingMarks) FlushMarks();
        marks_[mark_count_++] = part;
      }
    }
  }

  void FlushMarks() {
    uint32_t spare[kMaxPendingMarks];
    uc::CanonicalOrder(marks_, mark_count_, spare);
    for (size_t i = 0; i < mark_count_; ++i) PreTokenize(marks_[i]);
    mark_count_ = 0;
  }

  void PreTokenize(uint32_t cp) {
    if (uc::Has(cp, uc::kSpace)) {
      EndWord();
    } else if (uc::Has(cp, uc::kPunctuation)) {
      EndWord();
      AddToWord(cp);
      EndWord();
    } else {
      AddToWord(cp);
    }
  }

  void AddToWord(uint32_t cp) {
    if (word_chars_ < kMaxWordChars) word_[word_chars_] = cp;
    ++word_chars_;
  }

  // Greedy longest-match-first; a word with an unmatchable rest is one [UNK].
  void EndWord() {
    const size_t chars = word_chars_;
    word_chars_ = 0;
    if (chars == 0) return;
    if (chars > kMaxWordChars) {
      Emit(state_.unknown_id);
      return;
    }
    char bytes[4 * kMaxWordChars];
    size_t offsets[kMaxWordChars + 1];
    offsets[0] = 0;
    for (size_t i = 0; i < chars; ++i) {
      offsets[i + 1] = offsets[i] + EncodeUtf8(word_[i], bytes + offsets[i]);
    }
    int32_t pieces[kMaxWordChars];
    size_t piece_count = 0;
    for (size_t start = 0; start < chars;) {
      const PieceKind kind = start == 0 ? PieceKind::kInitial : PieceKind::kContinuation;
      size_t end = start + state_.max_piece_chars < chars ? start + state_.max_piece_chars : chars;
      int32_t id = -1;
      for (; end > start; --end) {
        id = state_.vocab.Find(kind, bytes + offsets[start], offsets[end] - offsets[start]);
        if (id >= 0) break;
      }
      if (id < 0) {
        Emit(state_.unknown_id);
        return;
      }
      pieces[piece_count++] = id;
      start = end;
    }
    for (size_t i = 0; i < piece_count; ++i) Emit(pieces[i]);
  }

  // Truncation keeps a text's first pieces, as Hugging Face's does.
  void Emit(int32_t id) {
    if (written_ < keep_) ids_[written_++] = id;
    ++total_;
  }

  const TokenizerState& state_;
  const uint8_t* text_;
  const size_t length_;
  int32_t* const ids_;
  const size_t keep_;
  bool after_cased_ = false;
  uint32_t word_[kMaxWordChars];
  size_t word_chars_ = 0;
  uint32_t marks_[kMaxPendingMarks];
  size_t mark_count_ = 0;
  size_t written_ = 0;
  size_t total_ = 0;
};

// Hugging Face's longest_first split of `budget` pieces between two texts
// that have more: the shorter keeps what it has if the longer can still have
// as much, else each gets half, the longer (the second on a tie) the odd one.
void LongestFirst(size_t budget, size_t* first, size_t* second) {
  const bool swap = *first > *second;
  size_t shorter = swap ? *second : *first;
  size_t longer = shorter > budget || budget - shorter < shorter ? shorter : budget - shorter;
  if (shorter + longer > budget) {
    shorter = budget / 2;
    longer = shorter + budget % 2;
  }
  *first = swap ? longer : shorter;
  *second = swap ? shorter : longer;
}

}  // namespace

Status EncodeWordPiece(const TokenizerState& state, const uint8_t* text, size_t length,
                       const EncodeOutput& output) {
  if (output.max_ids < 2) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "WordPiece needs room for [CLS] and [SEP] (max_ids %zu)", output.max_ids);
  }
  WordPieceEncoder encoder(state, text, length, output.ids + 1, output.max_ids - 2);
  encoder.Run();
  output.ids[0] = state.cls_id;
  output.ids[encoder.emitted() + 1] = state.sep_id;
  *output.count = encoder.emitted() + 2;
  if (output.untruncated != nullptr) *output.untruncated = encoder.total() + 2;
  return Status::Ok();
}

Status EncodeWordPiecePair(const TokenizerState& state, const uint8_t* first, size_t first_length,
                           const uint8_t* second, size_t second_length, int32_t* type_ids,
                           const EncodeOutput& output) {
  if (output.max_ids < 3) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "a WordPiece pair needs room for [CLS] and two [SEP] (max_ids %zu)",
                         output.max_ids);
  }
  const size_t budget = output.max_ids - 3;
  WordPieceEncoder encode_first(state, first, first_length, output.ids + 1, budget);
  encode_first.Run();
  // The second text goes after the first's pieces and its [SEP], in the room
  // left; one pass, unless truncation leaves it more pieces than that room.
  const size_t written_first = encode_first.emitted();
  WordPieceEncoder encode_second(state, second, second_length, output.ids + written_first + 2,
                                 budget - written_first);
  encode_second.Run();
  size_t keep_first = encode_first.total(), keep_second = encode_second.total();
  if (keep_first + keep_second > budget) LongestFirst(budget, &keep_first, &keep_second);
  // The first text keeps a prefix of what it wrote; the second's kept pieces
  // move to just after the first's [SEP].
  int32_t* second_ids = output.ids + keep_first + 2;
  if (keep_second <= encode_second.emitted()) {
    std::memmove(second_ids, output.ids + written_first + 2, keep_second * sizeof(int32_t));
  } else {
    WordPieceEncoder again(state, second, second_length, second_ids, keep_second);
    again.Run();
  }
  const size_t count = keep_first + keep_second + 3;
  output.ids[0] = state.cls_id;
  output.ids[keep_first + 1] = state.sep_id;
  output.ids[count - 1] = state.sep_id;
  if (type_ids != nullptr) {
    for (size_t i = 0; i < count; ++i) type_ids[i] = i < keep_first + 2 ? 0 : 1;
  }
  *output.count = count;
  if (output.untruncated != nullptr) {
    *output.untruncated = encode_first.total() + encode_second.total() + 3;
  }
  return Status::Ok();
}

}  // namespace tinyenc
