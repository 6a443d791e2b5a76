// Layer normalization over rows, as torch.nn.LayerNorm computes it.
#ifndef TINYENC_SIMD_LAYERNORM_H_
#define TINYENC_SIMD_LAYERNORM_H_

#include <cstddef>

namespace tinyenc {

// out[r][c] = (x[r][c] - mean_r) / sqrt(var_r + eps) * gamma[c] + beta[c]
// with the biased variance. out may alias x. Accurate on rows with a large
// common offset (mean and variance match float64 to ~1e-6 relative).
void LayerNorm(const float* x, float* out, size_t num_rows, size_t cols, const float* gamma,
               const float* beta, float eps);
void LayerNormRef(const float* x, float* out, size_t num_rows, size_t cols, const float* gamma,
                  const float* beta, float eps);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_LAYERNORM_H_
