// Scalar reference for softmax.h, written for clarity and computed in double.
#include <cmath>
#include <limits>
#include <vector>

#include "simd/softmax.h"

namespace tinyenc {

void SoftmaxRef(float* rows, size_t num_rows, size_t cols, float scale, const float* mask) {
  std::vector<double> z(cols);
  for (size_t r = 0; r < num_rows; ++r) {
    float* row = rows + r * cols;
    double max = -std::numeric_limits<double>::infinity();
    for (size_t c = 0; c < cols; ++c) {
      z[c] = static_cast<double>(row[c]) * scale + (mask != nullptr ? mask[c] : 0.0);
      max = std::fmax(max, z[c]);
    }
    if (max == -std::numeric_limits<double>::infinity()) {  // fully masked
      for (size_t c = 0; c < cols; ++c) row[c] = 0.0f;
      continue;
    }
    double sum = 0.0;
    for (size_t c = 0; c < cols; ++c) {
      z[c] = std::exp(z[c] - max);
      sum += z[c];
    }
    for (size_t c = 0; c < cols; ++c) row[c] = static_cast<float>(z[c] / sum);
  }
}

}  // namespace tinyenc
