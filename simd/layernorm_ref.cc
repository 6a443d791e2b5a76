// Scalar reference for layernorm.h, written for clarity and computed in
// double with the two-pass (mean first, then squared deviations) variance.
#include <cmath>

#include "simd/layernorm.h"

namespace tinyenc {

void LayerNormRef(const float* x, float* out, size_t num_rows, size_t cols, const float* gamma,
                  const float* beta, float eps) {
  for (size_t r = 0; r < num_rows; ++r) {
    const float* row = x + r * cols;
    double mean = 0.0;
    for (size_t c = 0; c < cols; ++c) mean += row[c];
    mean /= static_cast<double>(cols);
    double var = 0.0;
    for (size_t c = 0; c < cols; ++c) var += (row[c] - mean) * (row[c] - mean);
    var /= static_cast<double>(cols);
    const double rstd = 1.0 / std::sqrt(var + eps);
    // out may alias x: row[c] is read before out[c] is written.
    for (size_t c = 0; c < cols; ++c) {
      out[r * cols + c] = static_cast<float>((row[c] - mean) * rstd * gamma[c] + beta[c]);
    }
  }
}

}  // namespace tinyenc
