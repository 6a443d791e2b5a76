// The weight quantizers (for tests and tools: converters are Python) and the
// activation quantizer's reference. Not part of libtinyenc.
#include "simd/quantize.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "runtime/core/f16.h"

namespace tinyenc {

void QuantizeRowQ8_0(const float* x, size_t count, BlockQ8_0* out) {
  for (size_t b = 0; b < count / kQuantBlock; ++b, x += kQuantBlock) {
    float amax = 0.0f;
    for (size_t j = 0; j < kQuantBlock; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    out[b].d = F32ToF16(d);
    for (size_t j = 0; j < kQuantBlock; ++j) {
      out[b].qs[j] = static_cast<int8_t>(std::round(x[j] * inverse));
    }
  }
}

void QuantizeRowQ4_0(const float* x, size_t count, BlockQ4_0* out) {
  constexpr size_t kHalf = kQuantBlock / 2;
  for (size_t b = 0; b < count / kQuantBlock; ++b, x += kQuantBlock) {
    float amax = 0.0f;
    float max = 0.0f;
    for (size_t j = 0; j < kQuantBlock; ++j) {
      if (std::fabs(x[j]) > amax) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    const float d = max / -8.0f;
    const float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    out[b].d = F32ToF16(d);
    for (size_t j = 0; j < kHalf; ++j) {
      const int lo = static_cast<int>(x[j] * inverse + 8.5f);
      const int hi = static_cast<int>(x[j + kHalf] * inverse + 8.5f);
      out[b].qs[j] = static_cast<uint8_t>((lo < 15 ? lo : 15) | ((hi < 15 ? hi : 15) << 4));
    }
  }
}

float QuantizeRowI8(const float* x, size_t count, int8_t* codes) {
  float amax = 0.0f;
  for (size_t j = 0; j < count; ++j) amax = std::fmax(amax, std::fabs(x[j]));
  float best_d = 0.0f;
  double best_error = HUGE_VAL;
  for (int step = 100; step <= 200; ++step) {
    const float d = amax * (static_cast<float>(step) / 200.0f) / 127.0f;
    const float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    double error = 0.0;
    for (size_t j = 0; j < count; ++j) {
      const float q = std::fmin(127.0f, std::fmax(-127.0f, std::round(x[j] * inverse)));
      const double delta = static_cast<double>(q) * d - x[j];
      error += delta * delta;
    }
    if (error < best_error) {
      best_error = error;
      best_d = d;
    }
  }
  const float inverse = best_d != 0.0f ? 1.0f / best_d : 0.0f;
  for (size_t j = 0; j < count; ++j) {
    codes[j] = static_cast<int8_t>(std::fmin(127.0f, std::fmax(-127.0f, std::round(x[j] * inverse))));
  }
  return best_d;
}

void QuantizeMatrix(WeightType type, const float* x, size_t rows, size_t cols, void* out,
                    float* row_scales) {
  auto* bytes = static_cast<uint8_t*>(out);
  for (size_t r = 0; r < rows; ++r, x += cols, bytes += RowBytes(type, cols)) {
    switch (type) {
      case WeightType::kF32:
        std::memcpy(bytes, x, cols * sizeof(float));
        break;
      case WeightType::kF16:
        for (size_t i = 0; i < cols; ++i) {
          const uint16_t half = F32ToF16(x[i]);
          std::memcpy(bytes + i * sizeof(half), &half, sizeof(half));
        }
        break;
      case WeightType::kQ8_0:
        QuantizeRowQ8_0(x, cols, reinterpret_cast<BlockQ8_0*>(bytes));
        break;
      case WeightType::kQ4_0:
        QuantizeRowQ4_0(x, cols, reinterpret_cast<BlockQ4_0*>(bytes));
        break;
      case WeightType::kI8:
        row_scales[r] = QuantizeRowI8(x, cols, reinterpret_cast<int8_t*>(bytes));
        break;
    }
  }
}

float QuantizeActivationsRef(const float* x, size_t count, int32_t levels, int32_t* codes) {
  float amax = 0.0f;
  bool finite = true;
  for (size_t j = 0; j < count; ++j) {
    amax = std::fmax(amax, std::fabs(x[j]));
    finite = finite && std::isfinite(x[j]);
  }
  const float fl = static_cast<float>(levels);
  // The kernels' rules: non-finite input gives zero codes and a NaN scale; a
  // multiplier that would overflow (all zeros, subnormal amax) gives zero codes.
  const float inverse = fl / amax;
  const float multiplier = finite && inverse <= FLT_MAX ? inverse : 0.0f;
  for (size_t j = 0; j < count; ++j) {
    codes[j] = finite ? static_cast<int32_t>(std::nearbyint(x[j] * multiplier)) : 0;
  }
  return finite ? amax / fl : std::numeric_limits<float>::quiet_NaN();
}

float QuantizeActivationsNarrowRef(const float* x, size_t count, int32_t* codes) {
  float lo = 0.0f, hi = 0.0f;
  bool finite = true;
  for (size_t j = 0; j < count; ++j) {
    lo = std::fmin(lo, x[j]);
    hi = std::fmax(hi, x[j]);
    finite = finite && std::isfinite(x[j]);
  }
  const float range = hi - lo;
  const float inverse = 255.0f / range;
  const float multiplier = finite && inverse <= FLT_MAX ? inverse : 0.0f;
  const int32_t zero = static_cast<int32_t>(std::nearbyint(-lo * multiplier));
  for (size_t j = 0; j < count; ++j) {
    const int32_t code = static_cast<int32_t>(std::nearbyint(x[j] * multiplier)) + zero;
    codes[j] = finite ? std::min<int32_t>(std::max<int32_t>(code, 0), 255) - zero : 0;
  }
  return finite ? range / 255.0f : std::numeric_limits<float>::quiet_NaN();
}

}  // namespace tinyenc
