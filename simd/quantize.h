// Scalar quantizers for the ggml block types: tests and tools write weights
// with them, and MatMul's reference quantizes activations with them; they are
// in the test library, not libtinyenc (dequantizing is weight_types.h's).
//
// Weights (converters): the reference rules of llama.cpp's quantizer, so the
// blocks we write are byte-identical to its output:
//   Q8_0: d = amax / 127, q = round(x * (1/d)), ties away from zero.
//   Q4_0: m = the value of largest magnitude (sign kept), d = m / -8,
//         q = min(15, trunc(x * (1/d) + 8.5)).
//   A block of zeros gets d = 0 and all-zero (Q8_0) or all-8 (Q4_0) codes.
//
// Activations (inside MatMul with a Q8_0 / Q4_0 weight): each block of 32
// values gets its own f32 scale d = amax / 127, kept in f32 rather than
// rounded to f16, and codes q = round(x * (127 / amax)), ties to even, in
// [-127, 127]. The error of each value is at most d / 2 = amax / 254 plus one
// f32 rounding; the block dot products with the weight codes are then exact
// integer sums. See docs/KERNELS.md.
#ifndef TINYENC_SIMD_QUANTIZE_H_
#define TINYENC_SIMD_QUANTIZE_H_

#include <cstddef>
#include <cstdint>

#include "runtime/core/weight_types.h"

namespace tinyenc {

// `count` must be a multiple of kQuantBlock.
void QuantizeRowQ8_0(const float* x, size_t count, BlockQ8_0* out);
void QuantizeRowQ4_0(const float* x, size_t count, BlockQ4_0* out);

// I8 weights (per row): of the scales d = amax * r / 127 for r = 0.500,
// 0.505, ..., 1.000 (computed in f32), the one whose codes q = min(127, max(-127,
// round(x * (1/d)))), ties away from zero, give the least squared error
// sum (q * d - x)^2 (the first on ties): clipping a few outliers buys every
// other value a finer step. Returns d. models/tinyenc_convert/ggml_quants.py
// writes the same bytes.
float QuantizeRowI8(const float* x, size_t count, int8_t* codes);

// Writes a rows x cols f32 matrix as `type` (F32 copy, F16 rounding to
// nearest even, or the quantizers above) in the layout MatMul reads; I8
// writes each row's scale to row_scales (rows floats).
void QuantizeMatrix(WeightType type, const float* x, size_t rows, size_t cols, void* out,
                    float* row_scales = nullptr);

// The activation quantizer described above over `count` values with codes in
// [-levels, levels]: a block of 32 with 127 levels, or for I8 weights a whole
// row with RowActivationLevels(K) (matmul.h). Returns the scale amax / levels,
// writes the codes.
float QuantizeActivationsRef(const float* x, size_t count, int32_t levels, int32_t* codes);

// The 8-bit row coding of matmul.h: writes each value's code minus the zero
// point (so codes * scale approximates x), returns the scale.
float QuantizeActivationsNarrowRef(const float* x, size_t count, int32_t* codes);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_QUANTIZE_H_
