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
#include "simd/f16.h"
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

inline void AddBias(float* rows, size_t num_rows, size_t cols, const float* HWY_RESTRICT bias) {
  for (size_t r = 0; r < num_rows; ++r) Add(rows + r * cols, bias, rows + r * cols, cols);
}

// out += w * row
inline void MulAddRow(float w, const float* HWY_RESTRICT row, float* HWY_RESTRICT out,
                      size_t count) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vw = hn::Set(d, w);
  size_t i = 0;
  for (; i + lanes <= count; i += lanes) {
    hn::StoreU(hn::MulAdd(vw, hn::LoadU(d, row + i), hn::LoadU(d, out + i)), d, out + i);
  }
  for (; i < count; ++i) out[i] += w * row[i];
}

inline void Scale(float factor, float* v, size_t count) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vf = hn::Set(d, factor);
  size_t i = 0;
  for (; i + lanes <= count; i += lanes) hn::StoreU(hn::Mul(vf, hn::LoadU(d, v + i)), d, v + i);
  for (; i < count; ++i) v[i] *= factor;
}

inline void MeanPool(const float* HWY_RESTRICT rows, size_t num_rows, size_t cols,
                     const float* HWY_RESTRICT row_weights, float* HWY_RESTRICT out) {
  std::memset(out, 0, cols * sizeof(float));
  float weight_sum = 0.0f;
  for (size_t r = 0; r < num_rows; ++r) {
    const float w = row_weights != nullptr ? row_weights[r] : 1.0f;
    if (w == 0.0f) continue;  // padded rows may hold anything
    weight_sum += w;
    MulAddRow(w, rows + r * cols, out, cols);
  }
  Scale(weight_sum != 0.0f ? 1.0f / weight_sum : 0.0f, out, cols);
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

// Highway converts halves with hardware instructions on x86 with F16C and on
// AArch64; elsewhere it emulates them without IEEE rounding, infinities or
// NaNs, so those targets use the exact scalar converters.
constexpr bool kExactF16Vectors =
    (HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2) ||
    (HWY_ARCH_ARM_A64 && HWY_TARGET != HWY_SCALAR && HWY_TARGET != HWY_EMU128);

inline void F16ToF32(const uint16_t* HWY_RESTRICT in, float* HWY_RESTRICT out, size_t count) {
  const hn::ScalableTag<float> d;
  const hn::Rebind<hwy::float16_t, decltype(d)> d16;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; kExactF16Vectors && i + lanes <= count; i += lanes) {
    const auto* halves = reinterpret_cast<const hwy::float16_t*>(in + i);
    hn::StoreU(hn::PromoteTo(d, hn::LoadU(d16, halves)), d, out + i);
  }
  for (; i < count; ++i) out[i] = tinyenc::F16ToF32(in[i]);
}

inline void F32ToF16(const float* HWY_RESTRICT in, uint16_t* HWY_RESTRICT out, size_t count) {
  const hn::ScalableTag<float> d;
  const hn::Rebind<hwy::float16_t, decltype(d)> d16;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; kExactF16Vectors && i + lanes <= count; i += lanes) {
    auto* halves = reinterpret_cast<hwy::float16_t*>(out + i);
    hn::StoreU(hn::DemoteTo(d16, hn::LoadU(d, in + i)), d16, halves);
  }
  for (; i < count; ++i) out[i] = tinyenc::F32ToF16(in[i]);
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_ELEMENTWISE_INL_H_
