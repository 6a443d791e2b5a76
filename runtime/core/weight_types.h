// Weight element types and the ggml block layouts tinyenc reads in place.
// Type ids are ggml's, so a GGUF tensor's type field maps directly.
//
// Every fact about a type lives in one table (weight_types.cc): its name,
// block size and bytes, and how to decode a block; the reader, the matmul
// checks, dequantization and the kernels' references all read it. Adding a
// type is a row there plus its kernels. A build may leave types out
// (-Dweight_types=..., for firmware): the reader then refuses files using
// them and their matmul kernels are not linked.
#ifndef TINYENC_RUNTIME_CORE_WEIGHT_TYPES_H_
#define TINYENC_RUNTIME_CORE_WEIGHT_TYPES_H_

#include <cstddef>
#include <cstdint>

// Bit (1 << ggml type id) per type this build runs; all by default.
#ifndef TINYENC_WEIGHT_TYPES
#define TINYENC_WEIGHT_TYPES 0x1000107u  // F32, F16, Q4_0, Q8_0, I8
#endif

namespace tinyenc {

// kI8 is ggml's I8 tensor type used as tinyenc's per-row int8 weights: each
// row's codes times that row's F32 scale, kept in a companion tensor
// (docs/FORMAT.md).
enum class WeightType : uint32_t { kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ8_0 = 8, kI8 = 24 };

// Whether this build runs `type` (TINYENC_WEIGHT_TYPES); usable in if constexpr.
constexpr bool WeightTypeBuilt(WeightType type) {
  return (TINYENC_WEIGHT_TYPES >> static_cast<uint32_t>(type)) & 1u;
}

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

// How MatMul treats the activations for a weight type.
enum class ActivationCodes : uint8_t {
  kFloat,   // kept in f32
  kBlocks,  // int8 codes with an f32 scale per block of 32 (quantize.h)
  kRows,    // int8 codes with one f32 scale per row
};

struct WeightTypeTraits {
  WeightType type;
  const char* name;
  size_t block_values;  // values per storage unit: 1 for F32 / F16 / I8, 32 for blocks
  size_t block_bytes;
  ActivationCodes activations;
  // Whether each row's values carry the row's scale from a companion tensor
  // (I8): the row alone holds only the codes.
  bool row_scaled;
  // Block and row-scaled types: writes one storage unit's integer codes
  // (centred: Q4_0's are nibble - 8) and returns its scale (1 for I8, whose
  // scale is the row's); value j is codes[j] * scale. Null for float types.
  float (*decode_codes)(const uint8_t* block, int32_t* codes);
  // Float types: value `index` of a row. Null otherwise.
  float (*decode_value)(const uint8_t* row, size_t index);
};

// The row of a ggml type id, or null for an id tinyenc does not know.
const WeightTypeTraits* FindWeightType(uint32_t type);
// The row of a type this build runs, or null (unknown, or left out).
const WeightTypeTraits* FindBuiltWeightType(uint32_t type);
// For types FindWeightType knows; "unknown" otherwise.
const char* WeightTypeName(WeightType type);

// Values per storage unit and its size; 0 for an unknown type.
size_t TypeBlockValues(WeightType type);
size_t TypeBlockBytes(WeightType type);
// Bytes of one row of `values` elements; `values` must be a multiple of
// TypeBlockValues(type).
inline size_t RowBytes(WeightType type, size_t values) {
  return values / TypeBlockValues(type) * TypeBlockBytes(type);
}

// Converts one row of `count` values of a known type that is not row-scaled
// to f32.
void DequantizeRow(WeightType type, const void* row, size_t count, float* out);

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_CORE_WEIGHT_TYPES_H_
