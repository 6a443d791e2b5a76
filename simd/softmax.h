// Row softmax with an optional scale and additive mask.
#ifndef TINYENC_SIMD_SOFTMAX_H_
#define TINYENC_SIMD_SOFTMAX_H_

#include <cstddef>

namespace tinyenc {

// For each of num_rows rows of `cols` values, in place:
//   row = softmax(row * scale + mask)
// computed as exp(z - max z) / sum. `mask` is null or `cols` additive values
// shared by all rows (0 keeps a column, -infinity removes it). A row whose
// every entry is -infinity becomes all zeros, never NaN. Inputs must not be
// +infinity or NaN, and row * scale + mask must not overflow to +infinity;
// any finite magnitude is fine.
void Softmax(float* rows, size_t num_rows, size_t cols, float scale, const float* mask);
void SoftmaxRef(float* rows, size_t num_rows, size_t cols, float scale, const float* mask);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_SOFTMAX_H_
