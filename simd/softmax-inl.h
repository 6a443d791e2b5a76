// Per-target row softmax; see softmax.h for the contract.

#if defined(TINYENC_SIMD_SOFTMAX_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_SOFTMAX_INL_H_
#undef TINYENC_SIMD_SOFTMAX_INL_H_
#else
#define TINYENC_SIMD_SOFTMAX_INL_H_
#endif

#include <cfloat>
#include <cstddef>

#include "hwy/highway.h"
#include "simd/elementwise-inl.h"
#include "simd/exp-inl.h"
#include "simd/reduce-inl.h"
#include "simd/softmax.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Replaces row by z = row * scale + mask and returns max(max z, -FLT_MAX).
// Starting from -FLT_MAX rather than -inf gives every target the same answer
// for an all -inf row (Highway 1.0.3's EMU128 MaxOfLanes never returns less
// than -FLT_MAX) and keeps z - max from being -inf - -inf = NaN. The tail
// rounds exactly as the vectors do (multiply, then add).
inline float ScaleMaskMax(float* row, size_t cols, float scale, const float* HWY_RESTRICT mask) {
  float max = -FLT_MAX;
  size_t i = 0;
#ifndef TINYENC_F32_M_PROFILE  // Cortex-M: the loop below does all (f32_m_profile.h)
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vscale = hn::Set(d, scale);
  auto vmax = hn::Set(d, -FLT_MAX);
  for (; i + lanes <= cols; i += lanes) {
    auto z = hn::Mul(hn::LoadU(d, row + i), vscale);
    if (mask != nullptr) z = hn::Add(z, hn::LoadU(d, mask + i));
    hn::StoreU(z, d, row + i);
    vmax = hn::Max(vmax, z);
  }
  max = ReduceMax(d, vmax);
#endif
  for (; i < cols; ++i) {
    float z = row[i] * scale;
    if (mask != nullptr) z += mask[i];
    row[i] = z;
    if (z > max) max = z;
  }
  return max;
}

// Replaces row by exp(row - max) and returns the sum. The exponent is <= 0,
// or -inf (masked), for which ExpNonPositive gives exactly 0.
inline float ExpMinusMax(float* row, size_t cols, float max) {
  const auto exp_at = [row, max](auto d, size_t i) HWY_ATTR TINYENC_INLINE_OP {
    const auto e = ExpNonPositive(d, hn::Sub(hn::LoadU(d, row + i), hn::Set(d, max)));
    hn::StoreU(e, d, row + i);
    return e;
  };
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  auto sum0 = hn::Zero(d);
  auto sum1 = hn::Zero(d);
  size_t i = 0;
  for (; i + 2 * lanes <= cols; i += 2 * lanes) {
    sum0 = hn::Add(sum0, exp_at(d, i));
    sum1 = hn::Add(sum1, exp_at(d, i + lanes));
  }
  for (; i + lanes <= cols; i += lanes) sum0 = hn::Add(sum0, exp_at(d, i));
  float sum = ReduceSum(d, hn::Add(sum0, sum1));
  // One-lane vectors, so the tail uses the same Exp as the rest of the row.
  const hn::CappedTag<float, 1> d1;
  for (; i < cols; ++i) sum += hn::GetLane(exp_at(d1, i));
  return sum;
}

#ifdef TINYENC_F32_HELIUM
// ScaleMaskMax and ExpMinusMax on Helium vectors (EMU128's lane loops took
// about 70 instructions a score). The last step's idle lanes load zeros and
// are left out of the max, the sum and the stores.
inline float SoftmaxRowSumHelium(float* row, size_t cols, float scale, const float* mask) {
  float32x4_t max = vdupq_n_f32(-FLT_MAX);
  for (size_t i = 0; i < cols; i += 4) {
    const mve_pred16_t lanes = vctp32q(cols - i);
    float32x4_t z = vmulq_n_f32(vldrwq_z_f32(row + i, lanes), scale);
    if (mask != nullptr) z = vaddq_f32(z, vldrwq_z_f32(mask + i, lanes));
    vstrwq_p_f32(row + i, z, lanes);
    max = vmaxnmq_m_f32(max, max, z, lanes);
  }
  const float row_max = vmaxnmvq_f32(-FLT_MAX, max);
  float32x4_t sum = vdupq_n_f32(0.0f);
  for (size_t i = 0; i < cols; i += 4) {
    const mve_pred16_t lanes = vctp32q(cols - i);
    const float32x4_t e = ExpNonPositiveHelium(vsubq_n_f32(vldrwq_z_f32(row + i, lanes), row_max));
    vstrwq_p_f32(row + i, e, lanes);
    sum = vaddq_m_f32(sum, sum, e, lanes);
  }
  return SumOfLanesHelium(sum);
}
#endif

inline void Softmax(float* rows, size_t num_rows, size_t cols, float scale,
                    const float* HWY_RESTRICT mask) {
  for (size_t r = 0; r < num_rows; ++r) {
    float* row = rows + r * cols;
#ifdef TINYENC_F32_HELIUM
    const float sum = SoftmaxRowSumHelium(row, cols, scale, mask);
#else
    const float sum = ExpMinusMax(row, cols, ScaleMaskMax(row, cols, scale, mask));
#endif
    // The max element contributes exp(0) = 1, so sum is 0 only for a fully
    // masked row, which then already holds exp(-inf) = 0 everywhere.
    if (sum != 0.0f) Scale(1.0f / sum, row, cols);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_SOFTMAX_INL_H_
