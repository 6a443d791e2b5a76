#include "models/tokenizer/vocab_index.h"

#include <atomic>
#include <cstring>

namespace tinyenc {
namespace {

constexpr uint32_t kEmpty16 = 0xFFFF;
constexpr uint32_t kEmpty32 = 0xFFFFFFFF;
constexpr char kPhantomSpace[] = "\xE2\x96\x81";  // U+2581

// Load factor 3/4: short probe runs at a quarter of the table empty.
uint32_t SlotCount(uint64_t vocab_size) {
  return static_cast<uint32_t>(vocab_size + vocab_size / 3 + 1);
}
bool WideIds(uint64_t vocab_size) { return vocab_size >= kEmpty16; }

// A bijective 64-bit mixer (the finalizer of SplitMix64).
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9u;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBu;
  return x ^ (x >> 31);
}

// A keyed hash: pieces that collide in the table depend on the key, which an
// author of pieces does not know (F5: pieces chosen to collide in an unkeyed
// FNV-1a made Init quadratic). Not cryptographic; the probe bound below is
// what guarantees the worst case.
uint64_t KeyedHash(uint64_t key, PieceKind kind, const char* data, size_t size) {
  uint64_t hash = Mix(key ^ static_cast<uint8_t>(kind));
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    hash = Mix(hash ^ word);
  }
  uint64_t tail = 0;
  if (size > i) std::memcpy(&tail, data + i, size - i);
  return Mix(hash ^ tail ^ (uint64_t{size} << 56));
}

// A new key per Build, from what differs between processes and calls: the
// index's and the stack's addresses (randomized where the OS does so) and a
// call counter.
uint64_t NewKey(const void* memory) {
  static std::atomic<uint32_t> calls{0};
  const int on_stack = 0;
  return Mix(reinterpret_cast<uintptr_t>(memory) ^
             (uint64_t{reinterpret_cast<uintptr_t>(&on_stack)} << 17) ^
             (uint64_t{calls.fetch_add(1, std::memory_order_relaxed)} << 40));
}

size_t AlignUp(size_t value) { return (value + 7) & ~size_t{7}; }

}  // namespace

size_t VocabIndex::MemoryBytes(uint64_t vocab_size) {
  return AlignUp(4 * vocab_size) + AlignUp((WideIds(vocab_size) ? 4 : 2) * SlotCount(vocab_size));
}

Status VocabIndex::Build(const GgufArray& tokens, PieceForm form, const GgufArray* token_types,
                         void* memory, size_t bytes) {
  if (tokens.type != GgufValueType::kString || tokens.count == 0 ||
      tokens.count >= 0x7FFFFFFF) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "tokenizer.ggml.tokens must be a non-empty array of strings");
  }
  if (bytes < MemoryBytes(tokens.count)) {
    return Status::Error(StatusCode::kArenaTooSmall, "tokenizer memory: %zu bytes, needs %zu",
                         bytes, MemoryBytes(tokens.count));
  }
  strings_ = tokens.data;
  count_ = static_cast<uint32_t>(tokens.count);
  slot_count_ = SlotCount(count_);
  wide_ids_ = WideIds(count_);
  form_ = form;
  uint32_t* offsets = static_cast<uint32_t*>(memory);
  offsets_ = offsets;
  slots_ = static_cast<uint8_t*>(memory) + AlignUp(4 * size_t{count_});

  GgufStringCursor cursor(tokens);
  GgufString piece;
  for (uint32_t id = 0; cursor.Next(&piece); ++id) {
    const size_t offset = reinterpret_cast<const uint8_t*>(piece.data) - 8 - strings_;
    if (offset > 0xFFFFFFFFu) {
      return Status::Error(StatusCode::kBadCount, "tokenizer.ggml.tokens spans over 4 GiB");
    }
    offsets[id] = static_cast<uint32_t>(offset);
  }
  // A probe run over kMaxProbe under one key is astronomically unlikely for
  // any pieces not chosen against that key; a few keys are tried before the
  // vocabulary is refused.
  for (int attempt = 0; attempt < kMaxKeys; ++attempt) {
    if (Fill(token_types, NewKey(memory))) return Status::Ok();
  }
  return Status::Error(StatusCode::kBadHyperParameter,
                       "tokenizer.ggml.tokens: the vocabulary index has a probe run over %zu "
                       "slots under %d hash keys (pieces chosen to collide?)",
                       kMaxProbe, kMaxKeys);
}

bool VocabIndex::Fill(const GgufArray* token_types, uint64_t key) {
  key_ = key;
  max_probe_ = 0;
  std::memset(slots_, 0xFF, (wide_ids_ ? 4 : 2) * size_t{slot_count_});
  for (uint32_t id = 0; id < count_; ++id) {
    PieceText text;
    const PieceKind kind = Kind(id, &text);
    bool wanted = kind != PieceKind::kSpecial;
    if (token_types != nullptr) {
      int32_t type;  // GGUF arrays are not aligned
      std::memcpy(&type, token_types->data + 4 * size_t{id}, 4);
      wanted = type == 1;
    }
    if (!wanted) continue;
    size_t slot = Home(kind, text.data, text.size);
    for (size_t probe = 0;; ++probe) {
      if (probe > kMaxProbe) return false;
      if (probe > max_probe_) max_probe_ = probe;
      const uint32_t held = SlotId(slot);
      if (held == (wide_ids_ ? kEmpty32 : kEmpty16)) break;
      PieceText held_text;
      if (Kind(held, &held_text) == kind && held_text.size == text.size &&
          std::memcmp(held_text.data, text.data, text.size) == 0) {
        break;  // the later id replaces the earlier
      }
      slot = slot + 1 == slot_count_ ? 0 : slot + 1;
    }
    SetSlot(slot, id);
  }
  return true;
}

int32_t VocabIndex::Find(PieceKind kind, const char* data, size_t size) const {
  size_t slot = Home(kind, data, size);
  // No indexed piece lies further than max_probe_ from its home slot.
  for (size_t probe = 0; probe <= max_probe_; ++probe) {
    const uint32_t id = SlotId(slot);
    if (id == (wide_ids_ ? kEmpty32 : kEmpty16)) return -1;
    PieceText text;
    if (Kind(id, &text) == kind && text.size == size && std::memcmp(text.data, data, size) == 0) {
      return static_cast<int32_t>(id);
    }
    slot = slot + 1 == slot_count_ ? 0 : slot + 1;
  }
  return -1;
}

PieceText VocabIndex::Stored(uint32_t id) const {
  const uint8_t* at = strings_ + offsets_[id];
  uint64_t size;
  std::memcpy(&size, at, 8);
  PieceText text;
  text.data = reinterpret_cast<const char*>(at + 8);
  text.size = static_cast<size_t>(size);
  return text;
}

PieceKind VocabIndex::Kind(uint32_t id, PieceText* text) const {
  *text = Stored(id);
  if (form_ == PieceForm::kVerbatim) return PieceKind::kPlain;
  if (text->size > 2 && text->data[0] == '[' && text->data[text->size - 1] == ']') {
    return PieceKind::kSpecial;
  }
  if (text->size >= 3 && std::memcmp(text->data, kPhantomSpace, 3) == 0) {
    text->data += 3;
    text->size -= 3;
    return PieceKind::kInitial;
  }
  return PieceKind::kContinuation;
}

uint32_t VocabIndex::SlotId(size_t slot) const {
  if (wide_ids_) return static_cast<const uint32_t*>(slots_)[slot];
  return static_cast<const uint16_t*>(slots_)[slot];
}

void VocabIndex::SetSlot(size_t slot, uint32_t id) {
  if (wide_ids_) {
    static_cast<uint32_t*>(slots_)[slot] = id;
  } else {
    static_cast<uint16_t*>(slots_)[slot] = static_cast<uint16_t>(id);
  }
}

size_t VocabIndex::Home(PieceKind kind, const char* data, size_t size) const {
  // Multiply-shift range reduction: no division on small cores.
  const uint32_t hash = static_cast<uint32_t>(KeyedHash(key_, kind, data, size) >> 32);
  return static_cast<size_t>((uint64_t{hash} * slot_count_) >> 32);
}

}  // namespace tinyenc
