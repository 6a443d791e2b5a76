// Scalar reference for MatMul: dequantize nothing, quantize activations with
// the reference quantizer, sum each block exactly in integers, accumulate the
// scaled block sums in double.
#include <cstdint>
#include <cstring>
#include <vector>

#include "simd/matmul.h"
#include "simd/quantize.h"

namespace tinyenc {
namespace {

const uint8_t* WeightRow(const WeightMatrix& w, size_t n) {
  return static_cast<const uint8_t*>(w.data) + n * RowBytes(w.type, w.cols);
}

double FloatDot(const float* x, const WeightMatrix& w, const WeightTypeTraits& traits, size_t n) {
  const uint8_t* row = WeightRow(w, n);
  double sum = 0.0;
  for (size_t i = 0; i < w.cols; ++i) {
    sum += static_cast<double>(x[i]) * traits.decode_value(row, i);
  }
  return sum;
}

}  // namespace

void MatMulRef(const float* x, size_t m, const WeightMatrix& w, const float* bias, float* y) {
  const WeightTypeTraits& traits = *FindWeightType(static_cast<uint32_t>(w.type));
  const bool quantized = traits.decode_codes != nullptr;
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
        sum = FloatDot(x_row, w, traits, n);
      } else {
        for (size_t b = 0; b < blocks; ++b) {
          int32_t w_codes[kQuantBlock];
          const float w_scale =
              traits.decode_codes(WeightRow(w, n) + b * traits.block_bytes, w_codes);
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
