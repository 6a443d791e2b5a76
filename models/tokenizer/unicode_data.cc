// The lookups over the generated tables, and the parts of Unicode that are
// algorithms rather than data.
#include "models/tokenizer/unicode_data.h"

#include <initializer_list>

namespace tinyenc {
namespace unicode {
namespace {

// Hangul syllable composition (Unicode chapter 3.12).
constexpr uint32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr uint32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr uint32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

// Index of `cp`'s entry in `table`, or -1.
long Find(const MappingTable& table, uint32_t cp) {
  size_t low = 0, high = table.count;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    const uint32_t key = table.keys[mid] & 0x1FFFFF;
    if (key == cp) return static_cast<long>(mid);
    if (key < cp) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return -1;
}

size_t Decompose(uint32_t cp, bool compatibility, uint32_t* out) {
  if (cp - kSBase < kSCount) {
    const uint32_t index = cp - kSBase;
    out[0] = kLBase + index / kNCount;
    out[1] = kVBase + index % kNCount / kTCount;
    if (index % kTCount == 0) return 2;
    out[2] = kTBase + index % kTCount;
    return 3;
  }
  const long entry = Find(kDecompositions, cp);
  if (entry < 0) {
    out[0] = cp;
    return 1;
  }
  const uint32_t key = kDecompositions.keys[entry];
  if ((key >> 26 & 1) && !compatibility) {
    out[0] = cp;
    return 1;
  }
  const size_t length = key >> 21 & 31;
  const uint32_t* mapping = kDecompositions.pool + kDecompositions.offsets[entry];
  size_t written = 0;
  for (size_t i = 0; i < length; ++i) {
    written += Decompose(mapping[i], compatibility, out + written);
  }
  return written;
}

}  // namespace

bool IsCjkIdeograph(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

size_t FullDecomposition(uint32_t cp, bool compatibility, uint32_t* out) {
  const size_t length = Decompose(cp, compatibility, out);
  return length == 1 && out[0] == cp ? 0 : length;
}

size_t Lowercase(uint32_t cp, uint32_t* out) {
  const long entry = Find(kLowercase, cp);
  if (entry < 0) return 0;
  const size_t length = kLowercase.keys[entry] >> 21 & 31;
  const uint32_t* mapping = kLowercase.pool + kLowercase.offsets[entry];
  for (size_t i = 0; i < length; ++i) out[i] = mapping[i];
  return length;
}

uint32_t Compose(uint32_t first, uint32_t second) {
  if (first - kLBase < kLCount && second - kVBase < kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first - kSBase < kSCount && (first - kSBase) % kTCount == 0 && second - kTBase - 1 < kTCount - 1) {
    return first + (second - kTBase);
  }
  const uint64_t key = static_cast<uint64_t>(first) << 42 | static_cast<uint64_t>(second) << 21;
  size_t low = 0, high = kCompositions.count;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    const uint64_t pair = kCompositions.pairs[mid] & ~uint64_t{0x1FFFFF};
    if (pair == key) return static_cast<uint32_t>(kCompositions.pairs[mid] & 0x1FFFFF);
    if (pair < key) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return 0;
}

namespace {

// Runs of non-starters up to this long are insertion-sorted (real text has
// runs of one to three); longer ones are radix-sorted, so a hostile run costs
// linear time instead of quadratic (F6: 9.1 s for 50,000 marks).
constexpr size_t kInsertionRun = 8;

void InsertionSort(uint32_t* run, size_t count) {
  for (size_t i = 1; i < count; ++i) {
    const uint32_t cp = run[i];
    const uint8_t ccc = CombiningClass(cp);
    size_t j = i;
    for (; j > 0 && CombiningClass(run[j - 1]) > ccc; --j) run[j] = run[j - 1];
    run[j] = cp;
  }
}

// Stable LSD radix sort on the 8-bit class, a nibble per pass: run -> spare
// by the low nibble, spare -> run by the high one.
void RadixSort(uint32_t* run, size_t count, uint32_t* spare) {
  for (const unsigned shift : {0u, 4u}) {
    const uint32_t* from = shift == 0 ? run : spare;
    uint32_t* to = shift == 0 ? spare : run;
    size_t next[17] = {};  // next[d]: where the next value of digit d goes
    for (size_t i = 0; i < count; ++i) ++next[((CombiningClass(from[i]) >> shift) & 15) + 1];
    for (size_t d = 1; d < 17; ++d) next[d] += next[d - 1];
    for (size_t i = 0; i < count; ++i) {
      to[next[(CombiningClass(from[i]) >> shift) & 15]++] = from[i];
    }
  }
}

}  // namespace

void CanonicalOrder(uint32_t* text, size_t length, uint32_t* spare) {
  for (size_t start = 0; start < length;) {
    if (CombiningClass(text[start]) == 0) {
      ++start;
      continue;
    }
    size_t end = start + 1;
    while (end < length && CombiningClass(text[end]) != 0) ++end;
    if (end - start <= kInsertionRun) {
      InsertionSort(text + start, end - start);
    } else {
      RadixSort(text + start, end - start, spare);
    }
    start = end;
  }
}

size_t CanonicalCompose(uint32_t* text, size_t length) {
  if (length == 0) return 0;
  size_t starter = 0;        // index in the output of the last starter, if any
  bool have_starter = CombiningClass(text[0]) == 0;
  int last_class = have_starter ? 0 : 256;
  size_t written = 1;
  for (size_t i = 1; i < length; ++i) {
    const uint32_t cp = text[i];
    const int ccc = CombiningClass(cp);
    // Blocked when a character of the same or a higher class (or a starter)
    // lies between the starter and this one.
    const bool adjacent = written == starter + 1;
    if (have_starter && (adjacent || (last_class != 0 && last_class < ccc))) {
      const uint32_t composite = Compose(text[starter], cp);
      if (composite != 0) {
        text[starter] = composite;
        continue;
      }
    }
    if (ccc == 0) {
      starter = written;
      have_starter = true;
    }
    last_class = ccc;
    text[written++] = cp;
  }
  return written;
}

}  // namespace unicode
}  // namespace tinyenc
