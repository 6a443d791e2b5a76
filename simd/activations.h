// Element-wise activations, in place.
#ifndef TINYENC_SIMD_ACTIVATIONS_H_
#define TINYENC_SIMD_ACTIVATIONS_H_

#include <cstddef>

namespace tinyenc {

// x * 0.5 * (1 + erf(x / sqrt(2))): the exact GELU of Hugging Face BERT.
void GeluErf(float* v, size_t count);
// x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))): GELU's tanh form.
void GeluTanh(float* v, size_t count);
void Relu(float* v, size_t count);
// The vectorized erf GeluErf is built on (Highway 1.0.3 has none); max
// absolute error <= 1e-6 over all finite floats.
void Erf(const float* in, float* out, size_t count);

void GeluErfRef(float* v, size_t count);
void GeluTanhRef(float* v, size_t count);
void ReluRef(float* v, size_t count);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_ACTIVATIONS_H_
