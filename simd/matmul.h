// Y[M x N] = X[M x K] . W^T (+ bias[N]) with X, Y in f32 and W in any
// WeightType, read in place in ggml's layout: N rows of K values (a GGUF
// tensor with ne = [K, N]).
//
// For Q8_0 / Q4_0 weights the rows of X are first quantized to blocks of 32
// (see quantize.h for the scheme and its error); block dot products are exact
// integer sums, scaled by the two block scales and accumulated in f32.
//
// For I8 weights (one f32 scale per W row) each row of X is quantized by the
// same rule to int16 codes in [-L, L] with one f32 scale, L =
// RowActivationLevels(K): as fine as an i32 sum of K products with int8
// weights allows without overflow. Every output is one exact integer dot
// product over all of K, times the two scales: no float work inside K.
// (Int8 activations cost USE-lite cosine 0.9986 against TF.js; these 0.9992.)
//
// An I8 matrix marked narrow_activations (the encoder marks the feed-forward
// ones, the attention output, Q and V) has X coded in 8 bits instead where the
// target has an 8-bit dot product (AVX512-VNNI, Helium): per row
// u = round(x / s) + z in [0, 255] with s = (hi - lo) / 255 over the row's
// range [lo, hi] widened to hold 0, and z = round(-lo / s); each output is
// (sum u * w - z * sum w) * s * s_w.
// USE-lite's worst cosine to TF.js (bar 0.999): int16 X everywhere 0.99924,
// 8-bit X on the FFN, the attention output and Q 0.99908, 8-bit X everywhere
// about 0.9987 (K's errors move every query's scores, which pass through
// the softmax's exponential). V's errors are averaged by the attention
// weights: 8-bit V took KWT-1's worst logits cosine from 0.99928 to 0.99910
// (bar 0.999) and left the BERT goldens' worst as they were.
// docs/KERNELS.md has more.
#ifndef TINYENC_SIMD_MATMUL_H_
#define TINYENC_SIMD_MATMUL_H_

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "runtime/core/weight_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

struct WeightMatrix {
  const void* data = nullptr;  // rows * RowBytes(type, cols) bytes
  WeightType type = WeightType::kF32;
  size_t rows = 0;  // N
  size_t cols = 0;  // K
  const float* row_scales = nullptr;  // I8: N scales, value = code * scale of its row
  const float* row_sums = nullptr;    // I8, optional: N sums of each row's codes (exact)
  bool narrow_activations = false;    // I8: X may be coded in 8 bits (above)
};

// Activation code range for I8 weights: 32767, or less where K * 127 * L
// would not fit an i32 (K > 516).
constexpr int32_t RowActivationLevels(size_t k) {
  const size_t fit = 2147483647u / (127u * (k == 0 ? 1 : k));
  return fit < 32767 ? static_cast<int32_t>(fit) : 32767;
}

// Largest K whose 8-bit sums (|u * w| <= 255 * 127 per term) fit an i32;
// longer rows keep int16 codes.
constexpr size_t kNarrowMaxK = 2147483647u / (255u * 127u);

// A finite row's 8-bit coding (above) from its range [lo, hi], widened to
// hold 0: u = round(x * multiplier) + zero, value = (u - zero) * scale. A
// zero or tiny range gets multiplier 0 (zero codes), as the int16 rows do.
struct NarrowRange {
  float multiplier, scale;
  int32_t zero;
};
inline NarrowRange NarrowRangeOf(float lo, float hi) {
  // lo is never above -0 and hi never below +0, so range is never -0.
  const float range = hi - lo;
  const float inverse = 255.0f / range;
  const float multiplier = inverse <= FLT_MAX ? inverse : 0.0f;
  return {multiplier, range / 255.0f, static_cast<int32_t>(std::nearbyint(-lo * multiplier))};
}

// Whether MatMul codes w's X rows in 8 bits on the current target.
bool MatMulNarrowsActivations(const WeightMatrix& w);

// Scratch MatMul needs for `m` rows of X (0 for F32 / F16 weights).
size_t MatMulScratchBytes(WeightType type, size_t m, size_t k);

// Checks shapes, type and scratch size: K must be a multiple of 32 for block
// types; pointers (and I8's row scales) must be non-null.
Status CheckMatMul(const float* x, size_t m, const WeightMatrix& w, float* y,
                   size_t scratch_bytes);

Status MatMul(const float* x, size_t m, const WeightMatrix& w, const float* bias, float* y,
              void* scratch, size_t scratch_bytes);

// Scalar reference: same activation quantization (8-bit X rows when
// `narrow`, as MatMulNarrowsActivations says the target does), exact integer
// block (or row) sums, double accumulation. Assumes CheckMatMul passed.
void MatMulRef(const float* x, size_t m, const WeightMatrix& w, const float* bias, float* y,
               bool narrow = false);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_MATMUL_H_
