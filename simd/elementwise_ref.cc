// Scalar references for elementwise.h, written for clarity, accumulating in
// double where a sum is involved.
#include <cmath>

#include "simd/elementwise.h"

namespace tinyenc {

void AddRef(const float* a, const float* b, float* out, size_t count) {
  for (size_t i = 0; i < count; ++i) out[i] = a[i] + b[i];
}

void MeanPoolRef(const float* rows, size_t num_rows, size_t cols, float* out) {
  for (size_t c = 0; c < cols; ++c) {
    double sum = 0.0;
    for (size_t r = 0; r < num_rows; ++r) sum += rows[r * cols + c];
    out[c] = num_rows != 0 ? static_cast<float>(sum / static_cast<double>(num_rows)) : 0.0f;
  }
}

void L2NormalizeRef(float* v, size_t count) {
  double sum = 0.0;
  for (size_t i = 0; i < count; ++i) sum += static_cast<double>(v[i]) * v[i];
  const double norm = std::fmax(std::sqrt(sum), static_cast<double>(kL2NormalizeMinNorm));
  for (size_t i = 0; i < count; ++i) v[i] = static_cast<float>(v[i] / norm);
}

}  // namespace tinyenc
