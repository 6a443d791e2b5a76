// Scalar reference for Attention, in double, one query at a time.
#include <cmath>
#include <vector>

#include "simd/attention.h"

namespace tinyenc {

void AttentionRef(const float* q, const float* k, const float* v, const AttentionShape& shape,
                  float scale, float* out) {
  std::vector<double> weights(shape.seq);
  for (size_t h = 0; h < shape.heads; ++h) {
    const size_t col = h * shape.head_dim;
    for (size_t i = 0; i < shape.seq; ++i) {
      double max = -INFINITY;
      for (size_t j = 0; j < shape.seq; ++j) {
        double dot = 0.0;
        for (size_t c = 0; c < shape.head_dim; ++c) {
          dot += static_cast<double>(q[i * shape.q_stride + col + c]) * k[j * shape.k_stride + col + c];
        }
        weights[j] = dot * scale;
        max = std::fmax(max, weights[j]);
      }
      double total = 0.0;
      for (size_t j = 0; j < shape.seq; ++j) {
        weights[j] = max == -INFINITY ? 0.0 : std::exp(weights[j] - max);
        total += weights[j];
      }
      for (size_t c = 0; c < shape.head_dim; ++c) {
        double sum = 0.0;
        for (size_t j = 0; j < shape.seq; ++j) sum += weights[j] * v[j * shape.v_stride + col + c];
        out[i * shape.out_stride + col + c] = total > 0.0 ? static_cast<float>(sum / total) : 0.0f;
      }
    }
  }
}

}  // namespace tinyenc
