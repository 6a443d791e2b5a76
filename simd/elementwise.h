// Small element-wise and row helpers the encoder needs between the big
// kernels. Each dispatches once to the best SIMD target; the *Ref functions
// are the plain scalar references the tests compare against.
#ifndef TINYENC_SIMD_ELEMENTWISE_H_
#define TINYENC_SIMD_ELEMENTWISE_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {

// out[i] = a[i] + b[i]; out may alias a or b (residual connections).
void Add(const float* a, const float* b, float* out, size_t count);
// out[c] = sum_r rows[r][c] / num_rows; zeros when there are no rows.
void MeanPool(const float* rows, size_t num_rows, size_t cols, float* out);
// v /= max(||v||_2, 1e-12), as torch.nn.functional.normalize does.
void L2Normalize(float* v, size_t count);

void AddRef(const float* a, const float* b, float* out, size_t count);
void MeanPoolRef(const float* rows, size_t num_rows, size_t cols, float* out);
void L2NormalizeRef(float* v, size_t count);

constexpr float kL2NormalizeMinNorm = 1e-12f;

}  // namespace tinyenc

#endif  // TINYENC_SIMD_ELEMENTWISE_H_
