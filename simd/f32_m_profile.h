// Float kernels on Cortex-M, where Highway has no target of its own. With
// Helium's floating point (the M55), whose Highway target EMU128 costs about
// 7 instructions a multiply-add in its four-lane loops, Helium's vfma does
// four at once. On the M4's single-precision FPU Highway's SCALAR loads go
// through an integer register (LoadU is a memcpy) and its tiles' pointers
// spill; plain float code keeps 8 accumulators in FPU registers and loads with
// post-increment. The attention's Q·Kᵀ and P·V products and the F32 matrices
// go through these. Sums run in another order than the scalar reference's,
// so results differ from it by rounding only (the matmul and attention tests
// bound that).
//
// TINYENC_F32_M_PROFILE is defined where the tiles and P·V's kernel are
// built, TINYENC_F32_HELIUM with Helium (for its softmax and GELU too).
#ifndef TINYENC_SIMD_F32_M_PROFILE_H_
#define TINYENC_SIMD_F32_M_PROFILE_H_

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include <arm_mve.h>

#include <cstddef>

#define TINYENC_F32_HELIUM 1
#define TINYENC_F32_M_PROFILE 1

namespace tinyenc {

inline float SumOfLanesHelium(float32x4_t v) {
  return (vgetq_lane_f32(v, 0) + vgetq_lane_f32(v, 1)) +
         (vgetq_lane_f32(v, 2) + vgetq_lane_f32(v, 3));
}

// Four lanes at p, or with a predicate only the active ones (idle lanes load
// 0): whole steps go without, so they need no VPST before each access.
inline float32x4_t LoadLanes(const float* p) { return vld1q_f32(p); }
inline float32x4_t LoadLanes(const float* p, mve_pred16_t lanes) {
  return vldrwq_z_f32(p, lanes);
}
inline void StoreLanes(float* p, float32x4_t v) { vst1q_f32(p, v); }
inline void StoreLanes(float* p, float32x4_t v, mve_pred16_t lanes) { vstrwq_p_f32(p, v, lanes); }

// sums[r][c] = dot(x_r, w_c) over k floats. Two rows by two: four
// accumulators, two W vectors and an X vector fit Helium's eight registers.
// The last k % 4 values take one predicated step whose idle lanes load 0.
inline void FloatDot2x2Helium(const float* x0, const float* x1, const float* w0, const float* w1,
                              size_t k, float (&sums)[2][2]) {
  float32x4_t a00 = vdupq_n_f32(0.0f), a01 = a00, a10 = a00, a11 = a00;
  const auto step = [&](auto... lanes) __attribute__((always_inline)) {
    const float32x4_t v0 = LoadLanes(w0, lanes...), v1 = LoadLanes(w1, lanes...);
    float32x4_t xv = LoadLanes(x0, lanes...);
    a00 = vfmaq_f32(a00, xv, v0), a01 = vfmaq_f32(a01, xv, v1);
    xv = LoadLanes(x1, lanes...);
    a10 = vfmaq_f32(a10, xv, v0), a11 = vfmaq_f32(a11, xv, v1);
    x0 += 4, x1 += 4, w0 += 4, w1 += 4;
  };
  for (size_t steps = k / 4; steps != 0; --steps) step();
  if (k % 4 != 0) step(vctp32q(k % 4));
  sums[0][0] = SumOfLanesHelium(a00), sums[0][1] = SumOfLanesHelium(a01);
  sums[1][0] = SumOfLanesHelium(a10), sums[1][1] = SumOfLanesHelium(a11);
}

// sums[r][c] = dot(x row r, w[c]) for kRows X rows ldx apart and kCols W rows.
template <size_t kRows, size_t kCols>
inline void FloatDotTileMProfile(const float* x, size_t ldx, const float* const (&w)[kCols],
                                 size_t k, float (&sums)[kRows][kCols]) {
  for (size_t r = 0; r < kRows; r += 2) {
    const float* const x1 = x + (r + 1 < kRows ? r + 1 : r) * ldx;
    for (size_t c = 0; c < kCols; c += 2) {
      float pair[2][2];
      FloatDot2x2Helium(x + r * ldx, x1, w[c], w[c + 1 < kCols ? c + 1 : c], k, pair);
      for (size_t rr = 0; rr < 2 && r + rr < kRows; ++rr) {
        for (size_t cc = 0; cc < 2 && c + cc < kCols; ++cc) sums[r + rr][c + cc] = pair[rr][cc];
      }
    }
  }
}

// out[r][c] = sum over j < seq of p[r][j] * v_j[c], for kRows rows of p (seq
// apart) and `cols` columns of V rows v_stride apart: four columns a step,
// each V vector shared by the kRows accumulators; the last cols % 4 columns
// take one predicated step.
template <size_t kRows>
inline void WeightedSumOfRowsMProfile(const float* p, size_t seq, const float* v, size_t v_stride,
                                    size_t cols, float* out, size_t out_stride) {
  const auto four_columns = [&](size_t c, auto... lanes) __attribute__((always_inline)) {
    float32x4_t o[kRows];
    _Pragma("GCC unroll 4") for (size_t r = 0; r < kRows; ++r) o[r] = vdupq_n_f32(0.0f);
    const float* vj = v + c;
    for (size_t j = 0; j < seq; ++j, vj += v_stride) {
      const float32x4_t vv = LoadLanes(vj, lanes...);
      _Pragma("GCC unroll 4") for (size_t r = 0; r < kRows; ++r) {
        o[r] = vfmaq_n_f32(o[r], vv, p[r * seq + j]);
      }
    }
    _Pragma("GCC unroll 4") for (size_t r = 0; r < kRows; ++r) {
      StoreLanes(out + r * out_stride + c, o[r], lanes...);
    }
  };
  size_t c = 0;
  for (; c + 4 <= cols; c += 4) four_columns(c);
  if (c < cols) four_columns(c, vctp32q(cols - c));
}

}  // namespace tinyenc

#elif defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && defined(__ARM_FP) && \
    (__ARM_FP & 4)
#include <cstddef>

#define TINYENC_F32_M_PROFILE 1

namespace tinyenc {

// sums[r][c] = dot(x_r, w_c) over k floats, two X rows by four W rows: 8
// accumulators and 6 operands of the FPU's 32 registers. Each product is
// rounded before its addition (vmla), as in the scalar reference.
inline void FloatDot2x4Fpu(const float* x0, const float* x1, const float* const (&w)[4], size_t k,
                           float (&sums)[2][4]) {
  const float *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
  float a00 = 0.0f, a01 = 0.0f, a02 = 0.0f, a03 = 0.0f;
  float a10 = 0.0f, a11 = 0.0f, a12 = 0.0f, a13 = 0.0f;
  for (const float* const x0_end = x0 + k; x0 != x0_end;) {
    const float v0 = *w0++, v1 = *w1++, v2 = *w2++, v3 = *w3++;
    const float xa = *x0++, xb = *x1++;
    a00 += xa * v0, a01 += xa * v1, a02 += xa * v2, a03 += xa * v3;
    a10 += xb * v0, a11 += xb * v1, a12 += xb * v2, a13 += xb * v3;
  }
  sums[0][0] = a00, sums[0][1] = a01, sums[0][2] = a02, sums[0][3] = a03;
  sums[1][0] = a10, sums[1][1] = a11, sums[1][2] = a12, sums[1][3] = a13;
}

// sums[r][c] = dot(x row r, w[c]) for kRows X rows ldx apart and 4 W rows.
template <size_t kRows>
inline void FloatDotTileMProfile(const float* x, size_t ldx, const float* const (&w)[4], size_t k,
                                 float (&sums)[kRows][4]) {
  for (size_t r = 0; r < kRows; r += 2) {
    float pair[2][4];
    FloatDot2x4Fpu(x + r * ldx, x + (r + 1 < kRows ? r + 1 : r) * ldx, w, k, pair);
    for (size_t rr = 0; rr < 2 && r + rr < kRows; ++rr) {
      for (size_t c = 0; c < 4; ++c) sums[r + rr][c] = pair[rr][c];
    }
  }
}

// out[r][c] = sum over j < seq of p[r][j] * v_j[c], for kRows rows of p (seq
// apart) and `cols` columns of V rows v_stride apart: four columns a step,
// 4 x 4 accumulators in FPU registers (the arrays unrolled away, or -Os
// keeps them in memory), each V value shared by the kRows rows.
template <size_t kRows>
inline void WeightedSumOfRowsMProfile(const float* p, size_t seq, const float* v, size_t v_stride,
                                      size_t cols, float* out, size_t out_stride) {
  size_t c = 0;
  for (; c + 4 <= cols; c += 4) {
    float o[kRows][4] = {};
    const float* vj = v + c;
    for (size_t j = 0; j < seq; ++j, vj += v_stride) {
      _Pragma("GCC unroll 4") for (size_t r = 0; r < kRows; ++r) {
        const float weight = p[r * seq + j];
        _Pragma("GCC unroll 4") for (size_t cc = 0; cc < 4; ++cc) o[r][cc] += weight * vj[cc];
      }
    }
    _Pragma("GCC unroll 4") for (size_t r = 0; r < kRows; ++r) {
      _Pragma("GCC unroll 4") for (size_t cc = 0; cc < 4; ++cc) {
        out[r * out_stride + c + cc] = o[r][cc];
      }
    }
  }
  for (; c < cols; ++c) {
    for (size_t r = 0; r < kRows; ++r) {
      float sum = 0.0f;
      for (size_t j = 0; j < seq; ++j) sum += p[r * seq + j] * v[j * v_stride + c];
      out[r * out_stride + c] = sum;
    }
  }
}

}  // namespace tinyenc
#endif  // Helium floating point, or an M-profile single-precision FPU

#endif  // TINYENC_SIMD_F32_M_PROFILE_H_
