// Per-target element-wise helpers; see elementwise.h for the contracts.

#if defined(TINYENC_SIMD_ELEMENTWISE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_ELEMENTWISE_INL_H_
#undef TINYENC_SIMD_ELEMENTWISE_INL_H_
#else
#define TINYENC_SIMD_ELEMENTWISE_INL_H_
#endif

#include <cmath>
#include <cstring>

#include "hwy/highway.h"
#include "simd/elementwise.h"
#include "simd/f32_m_profile.h"
#include "simd/reduce-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

inline void Add(const float* HWY_RESTRICT a, const float* HWY_RESTRICT b, float* out,
                size_t count) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; i + lanes <= count; i += lanes) {
    hn::StoreU(hn::Add(hn::LoadU(d, a + i), hn::LoadU(d, b + i)), d, out + i);
  }
  for (; i < count; ++i) out[i] = a[i] + b[i];
}

// out += w * row
inline void MulAddRow(float w, const float* HWY_RESTRICT row, float* HWY_RESTRICT out,
                      size_t count) {
#ifdef TINYENC_F32_HELIUM
  // The encoder's residual adds: EMU128's lane loops took about 7
  // instructions a value. (Fused, as MulAdd is not there; the encoder's w is
  // 1, whose products are exact either way.)
  size_t step = 0;
  for (; step + 4 <= count; step += 4) {
    StoreLanes(out + step, vfmaq_n_f32(LoadLanes(out + step), LoadLanes(row + step), w));
  }
  if (step < count) {
    const mve_pred16_t lanes = vctp32q(count - step);
    StoreLanes(out + step,
               vfmaq_n_f32(LoadLanes(out + step, lanes), LoadLanes(row + step, lanes), w), lanes);
  }
#else
  size_t i = 0;
#ifndef TINYENC_F32_M_PROFILE  // Cortex-M: the loop below does all (f32_m_profile.h)
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vw = hn::Set(d, w);
  for (; i + lanes <= count; i += lanes) {
    hn::StoreU(hn::MulAdd(vw, hn::LoadU(d, row + i), hn::LoadU(d, out + i)), d, out + i);
  }
#endif
  for (; i < count; ++i) out[i] += w * row[i];
#endif
}

inline void Scale(float factor, float* v, size_t count) {
  size_t i = 0;
#ifndef TINYENC_F32_M_PROFILE  // Cortex-M: the loop below does all (f32_m_profile.h)
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vf = hn::Set(d, factor);
  for (; i + lanes <= count; i += lanes) hn::StoreU(hn::Mul(vf, hn::LoadU(d, v + i)), d, v + i);
#endif
  for (; i < count; ++i) v[i] *= factor;
}

inline void MeanPool(const float* HWY_RESTRICT rows, size_t num_rows, size_t cols,
                     float* HWY_RESTRICT out) {
  std::memset(out, 0, cols * sizeof(float));
  for (size_t r = 0; r < num_rows; ++r) MulAddRow(1.0f, rows + r * cols, out, cols);
  Scale(num_rows != 0 ? 1.0f / static_cast<float>(num_rows) : 0.0f, out, cols);
}

inline float SumOfSquares(const float* HWY_RESTRICT v, size_t count) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  auto sum0 = hn::Zero(d);
  auto sum1 = hn::Zero(d);
  size_t i = 0;
  for (; i + 2 * lanes <= count; i += 2 * lanes) {
    const auto v0 = hn::LoadU(d, v + i);
    const auto v1 = hn::LoadU(d, v + i + lanes);
    sum0 = hn::MulAdd(v0, v0, sum0);
    sum1 = hn::MulAdd(v1, v1, sum1);
  }
  for (; i + lanes <= count; i += lanes) {
    const auto v0 = hn::LoadU(d, v + i);
    sum0 = hn::MulAdd(v0, v0, sum0);
  }
  float sum = ReduceSum(d, hn::Add(sum0, sum1));
  for (; i < count; ++i) sum += v[i] * v[i];
  return sum;
}

inline void L2Normalize(float* v, size_t count) {
  const float norm = std::sqrt(SumOfSquares(v, count));
  Scale(1.0f / (norm > kL2NormalizeMinNorm ? norm : kL2NormalizeMinNorm), v, count);
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_ELEMENTWISE_INL_H_
