// IEEE 754 binary16 <-> binary32 conversion of single values, bit-exact and
// portable (no F16C or __fp16 needed). Rounding is to nearest, ties to even,
// as F16C's cvtps2ph and ggml's converters do, so block scales we write are
// the bytes llama.cpp writes.
#ifndef TINYENC_RUNTIME_CORE_F16_H_
#define TINYENC_RUNTIME_CORE_F16_H_

#include <cstdint>
#include <cstring>

namespace tinyenc {

inline float F16ToF32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1Fu;
  const uint32_t mantissa = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0x1F) {  // inf or NaN; keep NaN payload bits
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // signed zero
    bits = sign;
  } else {  // subnormal half: value = mantissa * 2^-24, exact in binary32
    const float magnitude = static_cast<float>(mantissa) * (1.0f / 16777216.0f);
    std::memcpy(&bits, &magnitude, sizeof(bits));
    bits |= sign;
  }
  float result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

inline uint16_t F32ToF16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs_bits = bits & 0x7FFFFFFFu;
  if (abs_bits >= 0x7F800000u) {  // inf or NaN (NaN stays a quiet NaN)
    return static_cast<uint16_t>(sign | 0x7C00u | (abs_bits > 0x7F800000u ? 0x200u : 0u));
  }
  if (abs_bits >= 0x477FF000u) {  // rounds to a value beyond 65504
    return static_cast<uint16_t>(sign | 0x7C00u);
  }
  if (abs_bits < 0x38800000u) {  // below the smallest normal half: subnormal or zero
    // Adding 0.5 makes the FPU round the value to a multiple of 2^-24 with
    // ties to even; the low mantissa bits are then the half's mantissa.
    float magnitude;
    std::memcpy(&magnitude, &abs_bits, sizeof(magnitude));
    const float shifted = magnitude + 0.5f;
    uint32_t shifted_bits;
    std::memcpy(&shifted_bits, &shifted, sizeof(shifted_bits));
    return static_cast<uint16_t>(sign | (shifted_bits - 0x3F000000u));
  }
  // Normal: rebias the exponent and round the 13 dropped mantissa bits.
  const uint32_t round_bit = (abs_bits >> 13) & 1u;
  const uint32_t rounded = abs_bits + 0xFFFu + round_bit;
  return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
}

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_CORE_F16_H_
