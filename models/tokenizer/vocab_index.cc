#include "models/tokenizer/vocab_index.h"

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

uint32_t Fnv1a(PieceKind kind, const char* data, size_t size) {
  uint32_t hash = 2166136261u ^ static_cast<uint8_t>(kind);
  hash *= 16777619u;
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<uint8_t>(data[i]);
    hash *= 16777619u;
  }
  return hash;
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
  std::memset(slots_, 0xFF, (wide_ids_ ? 4 : 2) * size_t{slot_count_});

  GgufStringCursor cursor(tokens);
  GgufString piece;
  for (uint32_t id = 0; cursor.Next(&piece); ++id) {
    const size_t offset = reinterpret_cast<const uint8_t*>(piece.data) - 8 - strings_;
    if (offset > 0xFFFFFFFFu) {
      return Status::Error(StatusCode::kBadCount, "tokenizer.ggml.tokens spans over 4 GiB");
    }
    offsets[id] = static_cast<uint32_t>(offset);
  }
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
    for (;;) {
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
  return Status::Ok();
}

int32_t VocabIndex::Find(PieceKind kind, const char* data, size_t size) const {
  size_t slot = Home(kind, data, size);
  for (;;) {
    const uint32_t id = SlotId(slot);
    if (id == (wide_ids_ ? kEmpty32 : kEmpty16)) return -1;
    PieceText text;
    if (Kind(id, &text) == kind && text.size == size && std::memcmp(text.data, data, size) == 0) {
      return static_cast<int32_t>(id);
    }
    slot = slot + 1 == slot_count_ ? 0 : slot + 1;
  }
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
  return static_cast<size_t>((uint64_t{Fnv1a(kind, data, size)} * slot_count_) >> 32);
}

}  // namespace tinyenc
