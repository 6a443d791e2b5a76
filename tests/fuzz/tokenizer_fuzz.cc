// libFuzzer harness: a vocabulary and a text, both mutated. The input is a
// little-endian u32 length n, n bytes of GGUF (a model file or a
// vocabulary-only one), then the text. Init, then Encode with a few id
// limits, and every piece read back.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "models/tokenizer/tokenizer_state.h"
#include "runtime/core/gguf.h"
#include "runtime/model_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint32_t gguf_size = 0;
  if (size < 4) return 0;
  std::memcpy(&gguf_size, data, 4);
  if (gguf_size > size - 4) return 0;
  std::vector<uint32_t> aligned((gguf_size + 3) / 4);
  if (gguf_size != 0) std::memcpy(aligned.data(), data + 4, gguf_size);
  const char* text = reinterpret_cast<const char*>(data + 4 + gguf_size);
  const size_t text_size = size - 4 - gguf_size;

  tinyenc::GgufFile file;
  if (!file.Parse(aligned.data(), gguf_size).ok()) return 0;
  size_t memory_bytes = 0;
  if (!tinyenc::TokenizerMemoryBytes(file, &memory_bytes).ok()) return 0;
  std::vector<uint64_t> memory((memory_bytes + 7) / 8);
  tinyenc::Tokenizer tokenizer;
  if (!tinyenc::InitTokenizer(file, memory.data(), memory_bytes,
                              &tinyenc::TokenizerAccess::State(tokenizer))
           .ok()) {
    return 0;
  }
  std::vector<uint64_t> scratch((tokenizer.ScratchBytes(text_size) + 7) / 8);
  for (const size_t max_ids : {size_t{2}, size_t{16}, 4 * text_size + 2}) {
    std::vector<int32_t> ids(max_ids);
    size_t count = 0, untruncated = 0;
    if (!tokenizer.Encode(text, text_size, ids.data(), max_ids, &count, scratch.data(),
                          scratch.size() * 8, &untruncated)
             .ok()) {
      continue;
    }
    for (size_t i = 0; i < count; ++i) {
      const char* piece = nullptr;
      size_t piece_size = 0;
      if (tokenizer.Piece(ids[i], &piece, &piece_size).ok() && piece_size > 0) {
        volatile char last = piece[piece_size - 1];
        (void)last;
      }
    }
  }
  return 0;
}
