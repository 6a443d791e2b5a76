// Weight element types and the ggml block layouts tinyenc reads in place.
// Type ids are ggml's, so a GGUF tensor's type field maps directly.
#ifndef TINYENC_SIMD_WEIGHT_TYPES_H_
#define TINYENC_SIMD_WEIGHT_TYPES_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {

enum class WeightType : uint32_t { kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ8_0 = 8 };

const char* WeightTypeName(WeightType type);

constexpr size_t kQuantBlock = 32;  // values per Q8_0 / Q4_0 block

// {f16 d; i8 qs[32]}: value = qs[j] * d.
struct BlockQ8_0 {
  uint16_t d;
  int8_t qs[kQuantBlock];
};
static_assert(sizeof(BlockQ8_0) == 34, "ggml block_q8_0 is 34 bytes");

// {f16 d; u8 qs[16]}: value j (< 16) is the low nibble of qs[j], value j + 16
// the high nibble; each value is (nibble - 8) * d.
struct BlockQ4_0 {
  uint16_t d;
  uint8_t qs[kQuantBlock / 2];
};
static_assert(sizeof(BlockQ4_0) == 18, "ggml block_q4_0 is 18 bytes");

// Values per storage unit (1 for F32/F16, 32 for blocks) and its size.
size_t TypeBlockValues(WeightType type);
size_t TypeBlockBytes(WeightType type);
// Bytes of one row of `values` elements; `values` must be a multiple of
// TypeBlockValues(type).
inline size_t RowBytes(WeightType type, size_t values) {
  return values / TypeBlockValues(type) * TypeBlockBytes(type);
}

}  // namespace tinyenc

#endif  // TINYENC_SIMD_WEIGHT_TYPES_H_
