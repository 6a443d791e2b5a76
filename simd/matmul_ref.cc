// Scalar reference for MatMul: dequantize nothing, quantize activations with
// the reference quantizer, sum each block exactly in integers, accumulate the
// scaled block sums in double.
#include <cstdint>
#include <cstring>
#include <vector>

#include "simd/f16.h"
#include "simd/matmul.h"
#include "simd/quantize.h"

namespace tinyenc {
namespace {

double FloatDot(const float* x, const WeightMatrix& w, size_t n) {
  const auto* row = static_cast<const uint8_t*>(w.data) + n * RowBytes(w.type, w.cols);
  double sum = 0.0;
  for (size_t i = 0; i < w.cols; ++i) {
    float value;
    if (w.type == WeightType::kF32) {
      std::memcpy(&value, row + 4 * i, sizeof(value));
    } else {
      uint16_t bits;
      std::memcpy(&bits, row + 2 * i, sizeof(bits));
      value = F16ToF32(bits);
    }
    sum += static_cast<double>(x[i]) * value;
  }
  return sum;
}

// Integer codes of weight block b of row n, centred (Q4_0: nibble - 8).
float WeightBlock(const WeightMatrix& w, size_t n, size_t b, int codes[kQuantBlock]) {
  const auto* block =
      static_cast<const uint8_t*>(w.data) + n * RowBytes(w.type, w.cols) +
      b * TypeBlockBytes(w.type);
  uint16_t scale_bits;
  std::memcpy(&scale_bits, block, sizeof(scale_bits));
  const uint8_t* payload = block + sizeof(scale_bits);
  for (size_t j = 0; j < kQuantBlock; ++j) {
    if (w.type == WeightType::kQ8_0) {
      codes[j] = static_cast<int8_t>(payload[j]);
    } else {
      const uint8_t byte = payload[j % (kQuantBlock / 2)];
      codes[j] = (j < kQuantBlock / 2 ? byte & 0xF : byte >> 4) - 8;
    }
  }
  return F16ToF32(scale_bits);
}

}  // namespace

void MatMulRef(const float* x, size_t m, const WeightMatrix& w, const float* bias, float* y) {
  const bool quantized = TypeBlockValues(w.type) != 1;
  const size_t blocks = w.cols / kQuantBlock;
  std::vector<int8_t> x_codes(quantized ? w.cols : 0);
  std::vector<float> x_scales(quantized ? blocks : 0);
  for (size_t r = 0; r < m; ++r) {
    const float* x_row = x + r * w.cols;
    for (size_t b = 0; quantized && b < blocks; ++b) {
      x_scales[b] = QuantizeActivationBlockRef(x_row + b * kQuantBlock, &x_codes[b * kQuantBlock]);
    }
    for (size_t n = 0; n < w.rows; ++n) {
      double sum = 0.0;
      if (!quantized) {
        sum = FloatDot(x_row, w, n);
      } else {
        for (size_t b = 0; b < blocks; ++b) {
          int w_codes[kQuantBlock];
          const float w_scale = WeightBlock(w, n, b, w_codes);
          int64_t dot = 0;
          for (size_t j = 0; j < kQuantBlock; ++j) dot += w_codes[j] * x_codes[b * kQuantBlock + j];
          sum += static_cast<double>(w_scale) * x_scales[b] * static_cast<double>(dot);
        }
      }
      y[r * w.rows + n] = static_cast<float>(sum + (bias ? bias[n] : 0.0f));
    }
  }
}

}  // namespace tinyenc
