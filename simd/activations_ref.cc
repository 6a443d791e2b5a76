// Scalar references for activations.h, written for clarity and computed in
// double.
#include <cmath>

#include "simd/activations.h"

namespace tinyenc {

void GeluErfRef(float* v, size_t count) {
  // 1 + erf(z) written as erfc(-z): the same value, but without the
  // cancellation that would cost double its relative accuracy for x < -8.
  const double kSqrtHalf = std::sqrt(0.5);
  for (size_t i = 0; i < count; ++i) {
    const double x = v[i];
    v[i] = static_cast<float>(0.5 * x * std::erfc(-x * kSqrtHalf));
  }
}

void GeluTanhRef(float* v, size_t count) {
  const double kPi = 3.14159265358979323846;
  const double kSqrtTwoOverPi = std::sqrt(2.0 / kPi);
  for (size_t i = 0; i < count; ++i) {
    const double x = v[i];
    const double u = kSqrtTwoOverPi * (x + 0.044715 * x * x * x);
    v[i] = static_cast<float>(0.5 * x * (1.0 + std::tanh(u)));
  }
}

void ReluRef(float* v, size_t count) {
  for (size_t i = 0; i < count; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
}

}  // namespace tinyenc
