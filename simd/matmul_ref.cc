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

void MatMulRef(const float* x, size_t m, const WeightMatrix& w, const float* bias, float* y,
               bool narrow) {
  const WeightTypeTraits& traits = *FindWeightType(static_cast<uint32_t>(w.type));
  // Values quantized together: a block, or (I8) the whole row.
  const size_t group = traits.activations == ActivationCodes::kRows ? w.cols : traits.block_values;
  const size_t groups = traits.activations == ActivationCodes::kFloat ? 0 : w.cols / group;
  const int32_t levels =
      traits.activations == ActivationCodes::kRows ? RowActivationLevels(w.cols) : 127;
  std::vector<int32_t> x_codes(groups == 0 ? 0 : w.cols);
  std::vector<float> x_scales(groups);
  for (size_t r = 0; r < m; ++r) {
    const float* x_row = x + r * w.cols;
    for (size_t g = 0; g < groups; ++g) {
      x_scales[g] = narrow ? QuantizeActivationsNarrowRef(x_row, group, x_codes.data())
                           : QuantizeActivationsRef(x_row + g * group, group, levels,
                                                    &x_codes[g * group]);
    }
    for (size_t n = 0; n < w.rows; ++n) {
      double sum = 0.0;
      if (groups == 0) {
        sum = FloatDot(x_row, w, traits, n);
      } else {
        const uint8_t* row = WeightRow(w, n);
        for (size_t g = 0; g < groups; ++g) {
          int64_t dot = 0;
          double w_scale = 1.0;
          for (size_t unit = 0; unit < group / traits.block_values; ++unit) {
            int32_t w_codes[kQuantBlock];
            const size_t first = g * group + unit * traits.block_values;
            w_scale = traits.decode_codes(row + first / traits.block_values * traits.block_bytes,
                                          w_codes);
            for (size_t j = 0; j < traits.block_values; ++j) {
              dot += w_codes[j] * x_codes[first + j];
            }
          }
          if (traits.row_scaled) w_scale = w.row_scales[n];
          sum += w_scale * x_scales[g] * static_cast<double>(dot);
        }
      }
      y[r * w.rows + n] = static_cast<float>(sum + (bias ? bias[n] : 0.0f));
    }
  }
}

}  // namespace tinyenc
