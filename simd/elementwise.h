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
// rows[r][c] += bias[c] for every row.
void AddBias(float* rows, size_t num_rows, size_t cols, const float* bias);
// out[c] = sum_r w[r] * rows[r][c] / sum_r w[r]; a null weight array means
// every row counts 1; a zero weight sum gives zeros.
void MeanPool(const float* rows, size_t num_rows, size_t cols, const float* row_weights,
              float* out);
// v /= max(||v||_2, 1e-12), as torch.nn.functional.normalize does.
void L2Normalize(float* v, size_t count);
// IEEE half <-> float arrays; float -> half rounds to nearest even.
void F16ToF32(const uint16_t* in, float* out, size_t count);
void F32ToF16(const float* in, uint16_t* out, size_t count);

void AddRef(const float* a, const float* b, float* out, size_t count);
void AddBiasRef(float* rows, size_t num_rows, size_t cols, const float* bias);
void MeanPoolRef(const float* rows, size_t num_rows, size_t cols, const float* row_weights,
                 float* out);
void L2NormalizeRef(float* v, size_t count);

constexpr float kL2NormalizeMinNorm = 1e-12f;

}  // namespace tinyenc

#endif  // TINYENC_SIMD_ELEMENTWISE_H_
