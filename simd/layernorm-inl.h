// Per-target layer normalization; see layernorm.h for the contract.

#if defined(TINYENC_SIMD_LAYERNORM_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_LAYERNORM_INL_H_
#undef TINYENC_SIMD_LAYERNORM_INL_H_
#else
#define TINYENC_SIMD_LAYERNORM_INL_H_
#endif

#include <cmath>
#include <cstddef>

#include "hwy/highway.h"
#include "simd/f32_m_profile.h"
#include "simd/layernorm.h"
#include "simd/reduce-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct DeviationSums {
  float sum;     // sum of (x - center)
  float sum_sq;  // sum of (x - center)^2
};

#ifdef TINYENC_F32_HELIUM
// The loops below on Helium vectors (EMU128's lane loops cost about 7
// instructions a lane operation). Whole steps load without a predicate; the
// last step's idle lanes give zero deviations.
inline DeviationSums SumDeviationsHelium(const float* x, size_t count, float center) {
  const float32x4_t zero = vdupq_n_f32(0.0f);
  float32x4_t sum0 = zero, sum1 = zero, sq0 = zero, sq1 = zero;
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const float32x4_t dev0 = vsubq_n_f32(vld1q_f32(x + i), center);
    const float32x4_t dev1 = vsubq_n_f32(vld1q_f32(x + i + 4), center);
    sum0 = vaddq_f32(sum0, dev0);
    sum1 = vaddq_f32(sum1, dev1);
    sq0 = vfmaq_f32(sq0, dev0, dev0);
    sq1 = vfmaq_f32(sq1, dev1, dev1);
  }
  for (; i < count; i += 4) {
    const mve_pred16_t lanes = vctp32q(count - i);
    const float32x4_t dev = vsubq_m_n_f32(zero, vldrwq_z_f32(x + i, lanes), center, lanes);
    sum0 = vaddq_f32(sum0, dev);
    sq0 = vfmaq_f32(sq0, dev, dev);
  }
  return {SumOfLanesHelium(vaddq_f32(sum0, sum1)), SumOfLanesHelium(vaddq_f32(sq0, sq1))};
}

inline void NormalizeRowHelium(const float* x, float* out, size_t cols,
                               const float* HWY_RESTRICT gamma, const float* HWY_RESTRICT beta,
                               float center, float offset, float rstd) {
  const auto step = [&](float32x4_t xv, float32x4_t gv, float32x4_t bv) {
    const float32x4_t dev = vsubq_n_f32(vsubq_n_f32(xv, center), offset);
    return vfmaq_f32(bv, dev, vmulq_n_f32(gv, rstd));
  };
  size_t i = 0;
  for (; i + 4 <= cols; i += 4) {
    vst1q_f32(out + i, step(vld1q_f32(x + i), vld1q_f32(gamma + i), vld1q_f32(beta + i)));
  }
  if (i < cols) {
    const mve_pred16_t lanes = vctp32q(cols - i);
    vstrwq_p_f32(out + i,
                 step(vldrwq_z_f32(x + i, lanes), vldrwq_z_f32(gamma + i, lanes),
                      vldrwq_z_f32(beta + i, lanes)),
                 lanes);
  }
}
#endif

// Two accumulators per sum keep the rounding error of these f32 sums low
// (each lane adds only count / (2 * lanes) terms) and hide the add latency.
inline DeviationSums SumDeviations(const float* x, size_t count, float center) {
#ifdef TINYENC_F32_HELIUM
  return SumDeviationsHelium(x, count, center);
#else
  DeviationSums sums{0.0f, 0.0f};
  size_t i = 0;
  // On the M4 the loop after this one does every value (f32_m_profile.h),
  // with one sum each: the FPU's add has no latency to hide, and a row of a
  // few hundred values loses little.
#ifndef TINYENC_F32_M_PROFILE
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vcenter = hn::Set(d, center);
  auto sum0 = hn::Zero(d), sum1 = hn::Zero(d);
  auto sq0 = hn::Zero(d), sq1 = hn::Zero(d);
  for (; i + 2 * lanes <= count; i += 2 * lanes) {
    const auto dev0 = hn::Sub(hn::LoadU(d, x + i), vcenter);
    const auto dev1 = hn::Sub(hn::LoadU(d, x + i + lanes), vcenter);
    sum0 = hn::Add(sum0, dev0);
    sum1 = hn::Add(sum1, dev1);
    sq0 = hn::MulAdd(dev0, dev0, sq0);
    sq1 = hn::MulAdd(dev1, dev1, sq1);
  }
  for (; i + lanes <= count; i += lanes) {
    const auto dev0 = hn::Sub(hn::LoadU(d, x + i), vcenter);
    sum0 = hn::Add(sum0, dev0);
    sq0 = hn::MulAdd(dev0, dev0, sq0);
  }
  sums = {ReduceSum(d, hn::Add(sum0, sum1)), ReduceSum(d, hn::Add(sq0, sq1))};
#endif
  for (; i < count; ++i) {
    const float dev = x[i] - center;
    sums.sum += dev;
    sums.sum_sq += dev * dev;
  }
  return sums;
#endif
}

// A single f32 pass over sum(x) and sum(x^2) loses everything on rows with a
// large common offset (1e4 + N(0, 1): var = E[x^2] - E[x]^2 cancels to noise).
// Instead:
// 1. center = x0 + mean(x - x0): x - x0 is exact for values close to x0
//    (Sterbenz), so center is the mean to within f32 rounding of the mean.
// 2. With dev = x - center (again exact for close values): offset = mean(dev)
//    is the small remaining part of the mean, and var = mean(dev^2) - offset^2
//    without cancellation, because offset is tiny against the spread.
// 3. out = (dev - offset) * (gamma / sqrt(var + eps)) + beta.
// A constant row gives dev = 0 everywhere and so exactly beta.
inline void LayerNormRow(const float* x, float* out, size_t cols, const float* HWY_RESTRICT gamma,
                         const float* HWY_RESTRICT beta, float eps) {
  const float n = static_cast<float>(cols);
  const float x0 = x[0];
  // The squares about x0 are not used: x0 may lie far from the mean.
  const float center = x0 + SumDeviations(x, cols, x0).sum / n;
  const DeviationSums sums = SumDeviations(x, cols, center);
  const float offset = sums.sum / n;
  const float var = std::fmax(sums.sum_sq / n - offset * offset, 0.0f);
  const float rstd = 1.0f / std::sqrt(var + eps);
#ifdef TINYENC_F32_HELIUM
  NormalizeRowHelium(x, out, cols, gamma, beta, center, offset, rstd);
#else
  size_t i = 0;
#ifndef TINYENC_F32_M_PROFILE  // Cortex-M: the loop below does all (f32_m_profile.h)
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vcenter = hn::Set(d, center);
  const auto voffset = hn::Set(d, offset);
  const auto vrstd = hn::Set(d, rstd);
  // out may alias x: each element is read before it is written.
  for (; i + lanes <= cols; i += lanes) {
    const auto dev = hn::Sub(hn::Sub(hn::LoadU(d, x + i), vcenter), voffset);
    const auto g = hn::Mul(hn::LoadU(d, gamma + i), vrstd);
    hn::StoreU(hn::MulAdd(dev, g, hn::LoadU(d, beta + i)), d, out + i);
  }
#endif
  for (; i < cols; ++i) out[i] = (x[i] - center - offset) * (gamma[i] * rstd) + beta[i];
#endif
}

inline void LayerNorm(const float* x, float* out, size_t num_rows, size_t cols,
                      const float* HWY_RESTRICT gamma, const float* HWY_RESTRICT beta, float eps) {
  if (cols == 0) return;
  for (size_t r = 0; r < num_rows; ++r) {
    LayerNormRow(x + r * cols, out + r * cols, cols, gamma, beta, eps);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_LAYERNORM_INL_H_
