// Unicode character data for the tokenizers, from generated tables
// (unicode_tables.cc, written by tools/unicode/make_unicode_tables.py) and
// the algorithmic parts of the standard (Hangul syllables, CJK ranges).
#ifndef TINYENC_MODELS_TOKENIZER_UNICODE_DATA_H_
#define TINYENC_MODELS_TOKENIZER_UNICODE_DATA_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {
namespace unicode {

constexpr uint32_t kCodePoints = 0x110000;
constexpr uint32_t kReplacement = 0xFFFD;
// Longest full decomposition of one code point (U+FDFA).
constexpr size_t kMaxDecomposition = 18;

// Property flags.
enum : uint8_t {
  kRemoved = 1,          // dropped by BERT's clean-up (NUL, U+FFFD, Cc/Cf/Co/Cs but tab, LF, CR)
  kSpace = 2,            // ECMAScript \s: splits words
  kPunctuation = 4,      // category P* or ASCII punctuation: a word of its own
  kNonspacingMark = 8,   // category Mn: dropped when stripping accents
  kCased = 16,           // Lowercase, Uppercase or Lt (Final_Sigma context)
  kCaseIgnorable = 32,   // Case_Ignorable (Final_Sigma context)
};

struct PropertyRecord {
  uint8_t flags;
  uint8_t combining_class;
};

// Two levels: the chunk of 2^shift code points names a block; the block
// holds one record index per code point of the chunk.
struct PropertyTable {
  const PropertyRecord* records;
  const uint8_t* block_of_chunk;
  const uint8_t* record_in_block;
  unsigned shift;
};

// Code points with a mapping, sorted. keys[i] = code point | length << 21 |
// compatibility << 26; the mapping is pool[offsets[i] .. + length].
struct MappingTable {
  const uint32_t* keys;
  const uint16_t* offsets;
  const uint32_t* pool;
  size_t count;
};

// Sorted first << 42 | second << 21 | composite.
struct CompositionTable {
  const uint64_t* pairs;
  size_t count;
};

extern const char kUnicodeVersion[];
extern const PropertyTable kProperties;
extern const MappingTable kDecompositions;  // one level, canonical and compatibility
extern const MappingTable kLowercase;       // full lower-case mappings, without Final_Sigma
extern const CompositionTable kCompositions;
// Bound on NFKD code points per UTF-8 byte of input (NFKC never adds more).
extern const size_t kMaxNfkdPerUtf8Byte;

inline PropertyRecord Properties(uint32_t cp) {
  if (cp >= kCodePoints) cp = kReplacement;
  const size_t block = kProperties.block_of_chunk[cp >> kProperties.shift];
  const size_t in_block = cp & ((1u << kProperties.shift) - 1);
  return kProperties.records[kProperties.record_in_block[(block << kProperties.shift) + in_block]];
}
inline bool Has(uint32_t cp, uint8_t flag) { return (Properties(cp).flags & flag) != 0; }
inline uint8_t CombiningClass(uint32_t cp) { return Properties(cp).combining_class; }

// The CJK Unified Ideograph and Compatibility Ideograph blocks BERT isolates.
bool IsCjkIdeograph(uint32_t cp);

// Writes the full mapping of `cp` (at most kMaxDecomposition code points) to
// `out` and returns its length: 0 when `cp` maps to itself.
size_t FullDecomposition(uint32_t cp, bool compatibility, uint32_t* out);
size_t Lowercase(uint32_t cp, uint32_t* out);  // at most 3 code points

// The primary composite of a starter and a following character, or 0.
uint32_t Compose(uint32_t first, uint32_t second);

// Sorts each run of non-starters by combining class, keeping equal classes
// in order (canonical ordering). `spare` holds `length` values of working
// space. Time is linear in `length`, whatever the runs.
void CanonicalOrder(uint32_t* text, size_t length, uint32_t* spare);
// Canonical composition in place; returns the new length.
size_t CanonicalCompose(uint32_t* text, size_t length);

}  // namespace unicode
}  // namespace tinyenc

#endif  // TINYENC_MODELS_TOKENIZER_UNICODE_DATA_H_
