// Per-target activations; see activations.h for the contracts. The *Vec
// functions work on one vector so that other kernels can apply an activation
// to results still in registers.

#if defined(TINYENC_SIMD_ACTIVATIONS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_ACTIVATIONS_INL_H_
#undef TINYENC_SIMD_ACTIVATIONS_INL_H_
#else
#define TINYENC_SIMD_ACTIVATIONS_INL_H_
#endif

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <type_traits>

#include "hwy/highway.h"
#include "simd/activations.h"
#include "simd/exp-inl.h"

#if defined(TINYENC_F32_M_PROFILE) && !defined(TINYENC_F32_HELIUM)
#include <arm_acle.h>

#include <cstddef>
#include <cstdint>

#include "simd/gelu_chords.h"
#endif

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// erfc(a) = t * Q(t) * exp(-a^2) with t = 1 / (1 + kErfcP * a), for a >= 0.
// Q approximates erfc(a) * exp(a^2) / t, which is smooth on t in [0, 1] (all
// a >= 0, infinity included), so one polynomial covers the whole range with
// small *relative* error even where erfc(a) is tiny. The coefficients were
// fitted for this project: least squares in relative error on 1000
// Chebyshev-spaced t in [0, 1] against 40-digit mpmath values, reweighted
// (Lawson) toward the minimax solution. Fit error 3.2e-8; evaluated in float,
// t * Q(t) is within 3.5e-7 relative of erfc(a) * exp(a^2).
constexpr float kErfcP = 0.45f;
constexpr float kErfcQ[] = {0.253885329f, 0.253883153f,   0.228271633f, 0.175252214f,
                            0.119949967f, -0.0223565865f, 0.142398611f, -0.300580084f,
                            0.190686584f, -0.0413908064f};

// Below this, 1 - erfc(a) would lose erf's relative accuracy, so erf uses its
// Taylor series 2/sqrt(pi) * sum_n (-1)^n a^(2n+1) / (n! (2n+1)); six terms
// leave a truncation error under 3e-8 relative at a = 0.5.
constexpr float kErfSeriesLimit = 0.5f;
constexpr double kTwoOverSqrtPi = 1.1283791670955126;
constexpr float kErfSeries[] = {
    static_cast<float>(kTwoOverSqrtPi),       static_cast<float>(-kTwoOverSqrtPi / 3),
    static_cast<float>(kTwoOverSqrtPi / 10),  static_cast<float>(-kTwoOverSqrtPi / 42),
    static_cast<float>(kTwoOverSqrtPi / 216), static_cast<float>(-kTwoOverSqrtPi / 1320)};

constexpr float kSqrtHalf = 0.707106781f;
constexpr float kSqrtTwoOverPi = 0.797884561f;
constexpr float kGeluTanhCubic = 0.044715f;

// erfc(a) for a >= 0, +infinity included (gives 0). The caller passes a2 = a^2
// because exp(-a2) turns an absolute error in a2 into that relative error of
// the result, and some callers can form a^2 with fewer roundings than a * a.
template <class D, class V>
HWY_INLINE V ErfcNonNegative(D d, V a, V a2) {
  const V one = hn::Set(d, 1.0f);
  const V t = hn::Div(one, hn::MulAdd(a, hn::Set(d, kErfcP), one));
  // ExpNonPositive is 0 below -104, so a2 = +inf (huge a) gives 0, not NaN; t * Q(t) is
  // finite for every a.
  return hn::Mul(hn::Mul(t, Polynomial(d, t, kErfcQ)), ExpNonPositive(d, hn::Neg(a2)));
}

template <class D, class V>
HWY_INLINE V ErfVec(D d, V x) {
  const V a = hn::Abs(x);
  const V a2 = hn::Mul(a, a);
  const V series = hn::Mul(a, Polynomial(d, a2, kErfSeries));
  const V complement = hn::Sub(hn::Set(d, 1.0f), ErfcNonNegative(d, a, a2));
  const V magnitude = hn::IfThenElse(hn::Lt(a, hn::Set(d, kErfSeriesLimit)), series, complement);
  return hn::CopySignToAbs(magnitude, x);
}

// 0.5 x erfc(-x / sqrt(2)) is the same function as 0.5 x (1 + erf(x / sqrt(2)))
// but never subtracts nearly equal numbers: for x < 0 it is h = 0.5 x erfc(|x|
// / sqrt(2)), accurate relative to its tiny value, and for x >= 0 it is x - h
// with h <= x / 2. GeluErf(+inf) = +inf and GeluErf(-inf) = -0 (the limits).
template <class D, class V>
HWY_INLINE V GeluErfVec(D d, V x) {
  const V a = hn::Mul(hn::Abs(x), hn::Set(d, kSqrtHalf));
  // x * x * 0.5 rounds once, (x / sqrt(2))^2 twice.
  const V a2 = hn::Mul(hn::Mul(x, x), hn::Set(d, 0.5f));
  // erfc is 0 for |x| = inf: clamping keeps inf * 0 from making NaN.
  const V x_finite = hn::Min(hn::Max(x, hn::Set(d, -FLT_MAX)), hn::Set(d, FLT_MAX));
  const V h = hn::Mul(hn::Mul(x_finite, hn::Set(d, 0.5f)), ErfcNonNegative(d, a, a2));
  return hn::IfThenElse(hn::Ge(x, hn::Zero(d)), hn::Sub(x, h), h);
}

// x / (1 + exp(-2u)) = 0.5 x (1 + tanh(u)). With e = exp(-2|u|) in (0, 1] it
// is x / (1 + e) for u >= 0 and x e / (1 + e) for u < 0: exp never overflows
// and the negative side keeps its relative accuracy. u has x's sign.
// GeluTanh(+inf) = +inf and GeluTanh(-inf) = -0.
template <class D, class V>
HWY_INLINE V GeluTanhVec(D d, V x) {
  const V one = hn::Set(d, 1.0f);
  const V u = hn::Mul(hn::Mul(x, hn::Set(d, kSqrtTwoOverPi)),
                      hn::MulAdd(hn::Mul(x, x), hn::Set(d, kGeluTanhCubic), one));
  const V e = ExpNonPositive(d, hn::Mul(hn::Abs(u), hn::Set(d, -2.0f)));
  // e is 0 for x = -inf: the clamp keeps -inf * 0 from making NaN.
  const V negative = hn::Mul(hn::Max(x, hn::Set(d, -FLT_MAX)), e);
  return hn::Div(hn::IfThenElse(hn::Ge(x, hn::Zero(d)), x, negative), hn::Add(one, e));
}

#ifdef TINYENC_F32_HELIUM
// GeluTanhVec's steps on Helium vectors (EMU128's lane loops took about 80
// instructions a value). Helium has no vector division: the FPU divides the
// lanes in place, as Div does, since Q registers are its S registers.
inline float32x4_t GeluTanhHelium(float32x4_t x) {
  const float32x4_t one = vdupq_n_f32(1.0f);
  const float32x4_t u =
      vmulq_f32(vmulq_n_f32(x, kSqrtTwoOverPi), vfmaq_n_f32(one, vmulq_f32(x, x), kGeluTanhCubic));
  const float32x4_t e = ExpNonPositiveHelium(vmulq_n_f32(vabsq_f32(u), -2.0f));
  const float32x4_t negative = vmulq_f32(vmaxnmq_f32(x, vdupq_n_f32(-FLT_MAX)), e);
  // q0's lanes are s0-s3 and q1's s4-s7: with the operands placed there the
  // FPU divides lane by lane in place (GCC's lane moves went through core
  // registers, 22 instructions for the four divisions).
  register float32x4_t quotient asm("q0") = vpselq_f32(x, negative, vcmpgeq_n_f32(x, 0.0f));
  register float32x4_t denominator asm("q1") = vaddq_f32(one, e);
  __asm__("vdiv.f32 s0, s0, s4\n\tvdiv.f32 s1, s1, s5\n\t"
          "vdiv.f32 s2, s2, s6\n\tvdiv.f32 s3, s3, s7"
          : "+w"(quotient)
          : "w"(denominator));
  return quotient;
}
#elif defined(TINYENC_F32_M_PROFILE)
// GeluTanhVec's steps in plain float code for the M4's FPU, with SCALAR's
// results (its Max gives -FLT_MAX for NaN, as the comparison here does):
// SCALAR's one-lane code took about 75 instructions a value, its Abs and
// selects through integer registers and the stack.
inline float GeluTanhFpu(float x) {
  const float u = (x * kSqrtTwoOverPi) * ((x * x) * kGeluTanhCubic + 1.0f);
  const float e = ExpNonPositiveFpu(std::fabs(u) * -2.0f);
  const float negative = (x > -FLT_MAX ? x : -FLT_MAX) * e;
  return (x >= 0.0f ? x : negative) / (1.0f + e);
}

// GeluTanh by gelu_chords.h's table over [v, end), two values a loop: each
// value's piece by one vcvt (which saturates, and gives 0 for NaN, where
// C++'s conversion would be undefined out of range) and one usat, then one
// vmla. A piece below the table's (x below -5.02, -inf included) first
// clears x's bits (bic with the piece's sign), so entry 0's zero slope never
// meets -inf; NaN's piece is 0, so NaN stays NaN. 25 instructions a pair,
// where GCC's loop took 20 a value.
inline void GeluTanhChordPairsFpu(float* v, const float* end) {
  static_assert(kGeluChordCount == 1 << 10, "usat's bit count");
  int32_t xa, xb, pa, pb;
  // volatile: its only effect is on memory (no output is used after it).
  __asm__ volatile(
      "1:\n\t"
      "ldrd   %[xa], %[xb], [%[v]]\n\t"
      "vmov   s0, s1, %[xa], %[xb]\n\t"
      "vmov.f32 s2, %[offset]\n\t"
      "vmov.f32 s3, %[offset]\n\t"
      "vmla.f32 s2, s0, %[scale]\n\t"
      "vmla.f32 s3, s1, %[scale]\n\t"
      "vcvt.s32.f32 s2, s2\n\t"
      "vcvt.s32.f32 s3, s3\n\t"
      "vmov   %[pa], %[pb], s2, s3\n\t"
      "bic    %[xa], %[xa], %[pa], asr #31\n\t"
      "bic    %[xb], %[xb], %[pb], asr #31\n\t"
      "usat   %[pa], #10, %[pa]\n\t"
      "usat   %[pb], #10, %[pb]\n\t"
      "add    %[pa], %[table], %[pa], lsl #3\n\t"
      "add    %[pb], %[table], %[pb], lsl #3\n\t"
      "vldr   s4, [%[pa]]\n\t"
      "vldr   s6, [%[pa], #4]\n\t"
      "vldr   s5, [%[pb]]\n\t"
      "vldr   s7, [%[pb], #4]\n\t"
      "vmov   s0, s1, %[xa], %[xb]\n\t"
      "vmla.f32 s4, s0, s6\n\t"
      "vmla.f32 s5, s1, s7\n\t"
      "vstmia %[v]!, {s4-s5}\n\t"
      "cmp    %[v], %[end]\n\t"
      "bne    1b"
      : [v] "+r"(v), [xa] "=&r"(xa), [xb] "=&r"(xb), [pa] "=&r"(pa), [pb] "=&r"(pb)
      : [end] "r"(end), [table] "r"(kGeluChords.data()), [scale] "t"(kGeluChordScale),
        [offset] "t"(kGeluChordOffset)
      : "cc", "memory", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
  static_assert(offsetof(GeluChord, slope) == 4, "the vldr offsets");
}
#endif

template <class D, class V>
HWY_INLINE V ReluVec(D d, V x) {
  return hn::Max(x, hn::Zero(d));
}

// out[i] = op(in[i]); in may equal out. The tail runs through one-lane
// vectors rather than scalar code so that every element gets exactly the same
// arithmetic and the approximations exist only once.
template <class Op>
HWY_INLINE void MapFloats(const float* in, float* out, size_t count, const Op& op) {
  const hn::ScalableTag<float> d;
  const hn::CappedTag<float, 1> d1;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; i + lanes <= count; i += lanes) hn::StoreU(op(d, hn::LoadU(d, in + i)), d, out + i);
  for (; i < count; ++i) hn::StoreU(op(d1, hn::LoadU(d1, in + i)), d1, out + i);
}

inline void GeluErf(float* v, size_t count) {
  MapFloats(v, v, count,
            [](auto d, auto x) HWY_ATTR TINYENC_INLINE_OP { return GeluErfVec(d, x); });
}

inline void GeluTanh(float* v, size_t count) {
#ifdef TINYENC_F32_HELIUM
  size_t i = 0;
  for (; i + 4 <= count; i += 4) vst1q_f32(v + i, GeluTanhHelium(vld1q_f32(v + i)));
  if (i < count) {  // idle lanes compute on zeros and are not stored
    const mve_pred16_t lanes = vctp32q(count - i);
    vstrwq_p_f32(v + i, GeluTanhHelium(vldrwq_z_f32(v + i, lanes)), lanes);
  }
#elif defined(TINYENC_F32_M_PROFILE)
  for (size_t i = 0; i < count; ++i) v[i] = GeluTanhFpu(v[i]);
#else
  MapFloats(v, v, count,
            [](auto d, auto x) HWY_ATTR TINYENC_INLINE_OP { return GeluTanhVec(d, x); });
#endif
}

inline void GeluTanhForCodes(float* v, size_t count) {
#if defined(TINYENC_F32_M_PROFILE) && !defined(TINYENC_F32_HELIUM)
  if (count >= 2) GeluTanhChordPairsFpu(v, v + (count & ~size_t{1}));
  if (count % 2 != 0) {  // the last value as a pair with itself
    float pair[2] = {v[count - 1], v[count - 1]};
    GeluTanhChordPairsFpu(pair, pair + 2);
    v[count - 1] = pair[0];
  }
#else
  GeluTanh(v, count);
#endif
}

inline void Relu(float* v, size_t count) {
  MapFloats(v, v, count, [](auto d, auto x) HWY_ATTR { return ReluVec(d, x); });
}

inline void Erf(const float* in, float* out, size_t count) {
  MapFloats(in, out, count, [](auto d, auto x) HWY_ATTR { return ErfVec(d, x); });
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_ACTIVATIONS_INL_H_
