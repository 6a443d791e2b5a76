// Element-wise activations, in place.
#ifndef TINYENC_SIMD_ACTIVATIONS_H_
#define TINYENC_SIMD_ACTIVATIONS_H_

#include <cstddef>

namespace tinyenc {

// x * 0.5 * (1 + erf(x / sqrt(2))): the exact GELU of Hugging Face BERT.
// Relative error ~1e-6 for x >= -5 and <= 1e-5 down to the subnormal range
// (the negative tail is computed as 0.5 x erfc(|x| / sqrt(2)), without
// cancellation). +inf gives +inf and -inf gives -0, the limits
// (torch.nn.functional.gelu gives NaN for -inf, in both forms).
void GeluErf(float* v, size_t count);
// x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))): GELU's tanh form,
// computed as x / (1 + exp(-2u)) so that neither tail overflows or cancels.
// Relative error <= 4e-6 for x >= -5.5, growing to ~1.5e-5 near x = -12 (exp
// amplifies the f32 rounding of u). +inf gives +inf and -inf gives -0.
void GeluTanh(float* v, size_t count);
// GeluTanh for values a matmul turns into activation codes next (I8, Q8_0,
// Q4_0): within 1e-5 absolute of GeluTanh, whose exactness their weights'
// 8-bit codes would not keep; the same limits, NaN stays NaN. On the M4's
// FPU it is gelu_chords.h's table, everywhere else GeluTanh itself.
void GeluTanhForCodes(float* v, size_t count);
void Relu(float* v, size_t count);
// The vectorized erf GeluErf is built on (Highway 1.0.3 has none); max
// absolute error <= 1e-6 over all finite floats (measured 2.4e-7), and also
// <= 1e-6 relative wherever erf(x) is a normal float. +-inf give +-1.
// in may equal out.
void Erf(const float* in, float* out, size_t count);

void GeluErfRef(float* v, size_t count);
void GeluTanhRef(float* v, size_t count);
void ReluRef(float* v, size_t count);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_ACTIVATIONS_H_
