// exp for the kernels whose arguments are never positive (softmax, the GELUs),
// and the polynomial evaluation it shares with them.
//
// Highway's Exp converts its argument to int32 with ConvertTo, which on SCALAR
// and EMU128 range-checks through double: on a single-precision FPU (the M4)
// every exp then called libgcc's soft-double compares, and NaN was undefined
// behaviour there (F8). Here the integer part comes from float additions and
// bit casts alone, so every target does the same float arithmetic, NaN
// included.

#if defined(TINYENC_SIMD_EXP_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_EXP_INL_H_
#undef TINYENC_SIMD_EXP_INL_H_
#else
#define TINYENC_SIMD_EXP_INL_H_
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "hwy/highway.h"
#include "simd/f32_m_profile.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// For the per-element lambdas of the map loops: at -Os (the M4) GCC calls
// them out of line and reloads every constant per value.
#ifndef TINYENC_INLINE_OP
#define TINYENC_INLINE_OP __attribute__((always_inline))
#endif

// c[0] + c[1] x + c[2] x^2 + ...
template <class D, class V, size_t kNumCoefs>
HWY_INLINE V Polynomial(D d, V x, const float (&c)[kNumCoefs]) {
  V sum = hn::Set(d, c[kNumCoefs - 1]);
  for (size_t k = kNumCoefs - 1; k-- > 0;) sum = hn::MulAdd(sum, x, hn::Set(d, c[k]));
  return sum;
}

// exp(r) = 1 + r + r^2 Q(r) for |r| <= ln(2) / 2. Q was fitted for this
// project: least squares in the relative error of exp on 2000
// Chebyshev-spaced r against 40-digit mpmath values, reweighted (Lawson)
// toward minimax. Fit error 3.1e-9; evaluated in float, 1.1 ulp.
constexpr float kExpQ[] = {0.49999994f, 0.16666521f, 0.041668389f, 0.0083687101f,
                           0.0013814613f};
constexpr float kLog2E = 1.44269504f;
// ln(2) split so that n * kLn2High is exact for |n| < 2^8 (kLn2High has 16
// significant bits) and the sum carries ln(2) to about 2^-40.
constexpr float kLn2High = 0.693145751953125f;
constexpr float kLn2Low = 1.42860677e-6f;
// Adding 1.5 * 2^23 to t, |t| < 2^22, rounds it to an integer (to nearest)
// whose value sits in the low mantissa bits of the sum.
constexpr float kRoundingShifter = 12582912.0f;
// exp(-104) < FLT_TRUE_MIN / 2: below this exp rounds to 0. Arguments far
// below it (-inf) leave the shifter's range and are replaced by that 0.
constexpr float kExpZeroBelow = -104.0f;

// exp(x) for x <= 0: -inf gives 0, NaN gives NaN (it flows through the float
// arithmetic; the integer part is built from its bits, never converted).
// Subnormal results are rounded once, not flushed. Positive x < 88 work too,
// but no caller needs them.
template <class D, class V>
HWY_INLINE V ExpNonPositive(D d, V x) {
  const hn::RebindToSigned<D> di;
  const V shifter = hn::Set(d, kRoundingShifter);
  // shifted - shifter = n = round(x / ln 2), and its bits minus the
  // shifter's are n as an integer.
  const V shifted = hn::MulAdd(x, hn::Set(d, kLog2E), shifter);
  const V n = hn::Sub(shifted, shifter);
  const V r = hn::NegMulAdd(n, hn::Set(d, kLn2Low), hn::NegMulAdd(n, hn::Set(d, kLn2High), x));
  const V exp_r = hn::Add(hn::MulAdd(hn::Mul(r, r), Polynomial(d, r, kExpQ), r), hn::Set(d, 1.0f));
  const auto n_int = hn::Sub(hn::BitCast(di, shifted), hn::BitCast(di, shifter));
  // 2^n in two factors: 2^n alone is no float below 2^-126, and exp_r * 2^n
  // rounds only once, in the second product.
  const auto pow2 = [di, d](decltype(n_int) e) HWY_ATTR {
    return hn::BitCast(d, hn::ShiftLeft<23>(hn::Add(e, hn::Set(di, 127))));
  };
  const auto half = hn::ShiftRight<1>(n_int);
  const V y = hn::Mul(hn::Mul(exp_r, pow2(half)), pow2(hn::Sub(n_int, half)));
  // -inf (and anything far below) made NaN or garbage above; NaN stays NaN.
  return hn::IfThenZeroElse(hn::Lt(x, hn::Set(d, kExpZeroBelow)), y);
}

#ifdef TINYENC_F32_HELIUM
// ExpNonPositive's steps on Helium vectors, for the M55's Helium loops.
inline float32x4_t ExpNonPositiveHelium(float32x4_t x) {
  const float32x4_t shifted = vfmaq_n_f32(vdupq_n_f32(kRoundingShifter), x, kLog2E);
  const float32x4_t n = vsubq_n_f32(shifted, kRoundingShifter);
  // x - n c as x + n (-c), and Horner's q r + c as vfmas with c from a core
  // register: the same single roundings, and no vector registers (Helium
  // has eight) held by constants.
  const float32x4_t r = vfmaq_n_f32(vfmaq_n_f32(x, n, -kLn2High), n, -kLn2Low);
  float32x4_t q = vdupq_n_f32(kExpQ[std::size(kExpQ) - 1]);
  for (size_t k = std::size(kExpQ) - 1; k-- > 0;) q = vfmasq_n_f32(q, r, kExpQ[k]);
  const float32x4_t exp_r = vaddq_n_f32(vfmaq_f32(r, vmulq_f32(r, r), q), 1.0f);
  const int32x4_t shifter_bits = vreinterpretq_s32_f32(vdupq_n_f32(kRoundingShifter));
  const int32x4_t n_int = vsubq_s32(vreinterpretq_s32_f32(shifted), shifter_bits);
  const int32x4_t half = vshrq_n_s32(n_int, 1);
  const float32x4_t y =
      vmulq_f32(vmulq_f32(exp_r, vreinterpretq_f32_s32(vshlq_n_s32(vaddq_n_s32(half, 127), 23))),
                vreinterpretq_f32_s32(vshlq_n_s32(vaddq_n_s32(vsubq_s32(n_int, half), 127), 23)));
  // Helium's vector LT holds for unordered operands too (NaN would give 0);
  // GT is ordered.
  return vpselq_f32(vdupq_n_f32(0.0f), y, vcmpgtq_f32(vdupq_n_f32(kExpZeroBelow), x));
}
#elif defined(TINYENC_F32_M_PROFILE)
// ExpNonPositive's steps in plain float code for the M4's FPU, each as
// SCALAR's one-lane op computes it (the same bits): SCALAR's bit casts go
// through the stack, and its loops reload every constant.
inline float ExpNonPositiveFpu(float x) {
  const auto bits = [](float f) {
    int32_t i;
    std::memcpy(&i, &f, sizeof(i));
    return i;
  };
  const auto pow2 = [](int32_t e) {
    const int32_t i = (e + 127) << 23;
    float f;
    std::memcpy(&f, &i, sizeof(f));
    return f;
  };
  const float shifted = x * kLog2E + kRoundingShifter;
  const float n = shifted - kRoundingShifter;
  const float r = (x - n * kLn2High) - n * kLn2Low;
  float q = kExpQ[std::size(kExpQ) - 1];
  for (size_t k = std::size(kExpQ) - 1; k-- > 0;) q = q * r + kExpQ[k];
  const float exp_r = ((r * r) * q + r) + 1.0f;
  const int32_t n_int = bits(shifted) - bits(kRoundingShifter);
  const int32_t half = n_int >> 1;
  const float y = (exp_r * pow2(half)) * pow2(n_int - half);
  return x < kExpZeroBelow ? 0.0f : y;
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_EXP_INL_H_
