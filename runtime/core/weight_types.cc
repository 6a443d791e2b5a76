#include "runtime/core/weight_types.h"

#include <cstring>

#include "runtime/core/f16.h"

namespace tinyenc {
namespace {

float DecodeF32(const uint8_t* row, size_t index) {
  float value;
  std::memcpy(&value, row + index * sizeof(value), sizeof(value));
  return value;
}

float DecodeF16(const uint8_t* row, size_t index) {
  uint16_t bits;
  std::memcpy(&bits, row + index * sizeof(bits), sizeof(bits));
  return F16ToF32(bits);
}

float DecodeQ8_0(const uint8_t* bytes, int32_t* codes) {
  BlockQ8_0 block;
  std::memcpy(&block, bytes, sizeof(block));
  for (size_t j = 0; j < kQuantBlock; ++j) codes[j] = block.qs[j];
  return F16ToF32(block.d);
}

float DecodeQ4_0(const uint8_t* bytes, int32_t* codes) {
  BlockQ4_0 block;
  std::memcpy(&block, bytes, sizeof(block));
  for (size_t j = 0; j < kQuantBlock / 2; ++j) {
    codes[j] = (block.qs[j] & 0xF) - 8;
    codes[j + kQuantBlock / 2] = (block.qs[j] >> 4) - 8;
  }
  return F16ToF32(block.d);
}

float DecodeI8(const uint8_t* bytes, int32_t* codes) {
  codes[0] = static_cast<int8_t>(bytes[0]);
  return 1.0f;
}

constexpr ActivationCodes kFloat = ActivationCodes::kFloat;
constexpr ActivationCodes kBlocks = ActivationCodes::kBlocks;
constexpr ActivationCodes kRows = ActivationCodes::kRows;

constexpr WeightTypeTraits kAllTypes[] = {
    {WeightType::kF32, "F32", 1, sizeof(float), kFloat, false, nullptr, DecodeF32},
    {WeightType::kF16, "F16", 1, sizeof(uint16_t), kFloat, false, nullptr, DecodeF16},
    {WeightType::kQ4_0, "Q4_0", kQuantBlock, sizeof(BlockQ4_0), kBlocks, false, DecodeQ4_0,
     nullptr},
    {WeightType::kQ8_0, "Q8_0", kQuantBlock, sizeof(BlockQ8_0), kBlocks, false, DecodeQ8_0,
     nullptr},
    {WeightType::kI8, "I8", 1, sizeof(int8_t), kRows, true, DecodeI8, nullptr},
};

}  // namespace

const WeightTypeTraits* FindWeightType(uint32_t type) {
  for (const WeightTypeTraits& traits : kAllTypes) {
    if (static_cast<uint32_t>(traits.type) == type) return &traits;
  }
  return nullptr;
}

const WeightTypeTraits* FindBuiltWeightType(uint32_t type) {
  const WeightTypeTraits* traits = FindWeightType(type);
  return traits != nullptr && WeightTypeBuilt(traits->type) ? traits : nullptr;
}

const char* WeightTypeName(WeightType type) {
  const WeightTypeTraits* traits = FindWeightType(static_cast<uint32_t>(type));
  return traits == nullptr ? "unknown" : traits->name;
}

size_t TypeBlockValues(WeightType type) {
  const WeightTypeTraits* traits = FindWeightType(static_cast<uint32_t>(type));
  return traits == nullptr ? 0 : traits->block_values;
}

size_t TypeBlockBytes(WeightType type) {
  const WeightTypeTraits* traits = FindWeightType(static_cast<uint32_t>(type));
  return traits == nullptr ? 0 : traits->block_bytes;
}

void DequantizeRow(WeightType type, const void* row, size_t count, float* out) {
  const WeightTypeTraits* traits = FindWeightType(static_cast<uint32_t>(type));
  if (traits == nullptr || traits->row_scaled) return;
  const auto* bytes = static_cast<const uint8_t*>(row);
  if (type == WeightType::kF32) {  // the encoder's position rows: no call a value
    std::memcpy(out, row, count * sizeof(float));
    return;
  }
  if (traits->decode_value != nullptr) {
    for (size_t i = 0; i < count; ++i) out[i] = traits->decode_value(bytes, i);
    return;
  }
  const size_t values = traits->block_values;  // at most kQuantBlock
  int32_t codes[kQuantBlock];
  for (size_t b = 0; b < count / values; ++b) {
    const float scale = traits->decode_codes(bytes + b * traits->block_bytes, codes);
    for (size_t j = 0; j < values; ++j) out[b * values + j] = codes[j] * scale;
  }
}

}  // namespace tinyenc
