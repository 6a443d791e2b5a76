// Float kernels on Cortex-M, where Highway has no target of its own. With
// Helium's floating point (the M55), whose Highway target EMU128 costs about
// 7 instructions a multiply-add in its four-lane loops, Helium's vfma does
// four at once. On the M4's single-precision FPU Highway's SCALAR loads go
// through an integer register (LoadU is a memcpy) and its tiles' pointers
// spill; plain float code keeps 8 accumulators in FPU registers and loads with
// post-increment, and assembly loads four values per vldmia where GCC loaded
// one. The attention's Q·Kᵀ and P·V products and the F32 matrices
// go through these. Sums run in another order than the scalar reference's,
// so results differ from it by rounding only (the matmul and attention tests
// bound that).
//
// TINYENC_F32_M_PROFILE is defined where the tiles and P·V's kernel are
// built, TINYENC_F32_HELIUM with Helium (for its softmax and GELU too).
// Where they have no Helium form, the element-wise kernels and the layer
// norm skip their Highway loops here (SCALAR's one lane loads through
// integer registers, EMU128 loops over lanes) and let their scalar loops
// for a row's last values do every value: the same arithmetic.
#ifndef TINYENC_SIMD_F32_M_PROFILE_H_
#define TINYENC_SIMD_F32_M_PROFILE_H_

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include <arm_mve.h>

#include <cstddef>
#include <cstdint>

#define TINYENC_F32_HELIUM 1
#define TINYENC_F32_M_PROFILE 1

namespace tinyenc {

// (lane 0 + lane 1) + (lane 2 + lane 3). A Q register's lanes are S
// registers (q0's are s0-s3), so with v placed in q0 the sum is three vadd;
// GCC's vgetq_lane moved the odd lanes through core registers.
inline float SumOfLanesHelium(float32x4_t v) {
  register float32x4_t lanes asm("q0") = v;
  float sum, high;
  __asm__("vadd.f32 %[sum], s0, s1\n\tvadd.f32 %[high], s2, s3\n\tvadd.f32 %[sum], %[sum], %[high]"
          : [sum] "=&t"(sum), [high] "=&t"(high)
          : "w"(lanes));
  return sum;
}

// Four lanes at p, or with a predicate only the active ones (idle lanes load
// 0): whole steps go without, so they need no VPST before each access.
inline float32x4_t LoadLanes(const float* p) { return vld1q_f32(p); }
inline float32x4_t LoadLanes(const float* p, mve_pred16_t lanes) {
  return vldrwq_z_f32(p, lanes);
}
inline void StoreLanes(float* p, float32x4_t v) { vst1q_f32(p, v); }
inline void StoreLanes(float* p, float32x4_t v, mve_pred16_t lanes) { vstrwq_p_f32(p, v, lanes); }

// The float core's W rows: two here, four on the M4's FPU.
constexpr size_t kFloatCoreCols = 2;

// sums[r][c] = dot(x_r, w_c) over k floats. Two rows by two: four
// accumulators, two W vectors and an X vector fit Helium's eight registers.
// The last k % 4 values take one predicated step whose idle lanes load 0.
inline void FloatDotCore(const float* x0, const float* x1, const float* const (&w)[2], size_t k,
                         float (&sums)[2][2]) {
  const float *w0 = w[0], *w1 = w[1];
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

// out[r][c] = sum over j < seq of p[r][j] * v_j[c], for kRows rows of p (seq
// apart) and `cols` columns of V rows v_stride apart: four columns a step,
// each V vector shared by the kRows accumulators; the last cols % 4 columns
// take one predicated step. Four rows' whole steps run in assembly: vfma
// takes its scalar from a core register, and GCC loaded each weight into an
// FPU register and moved it through the stack (20 instructions a key, 11
// here: four post-indexed ldr, one vldrw, four vfma).
template <size_t kRows>
inline void WeightedSumOfRowsMProfile(const float* p, size_t seq, const float* v, size_t v_stride,
                                    size_t cols, float* out, size_t out_stride) {
  const auto four_columns = [&](size_t c, auto... lanes) __attribute__((always_inline)) {
    float32x4_t o[kRows];
    _Pragma("GCC unroll 4") for (size_t r = 0; r < kRows; ++r) o[r] = vdupq_n_f32(0.0f);
    const float* vj = v + c;
    if constexpr (kRows == 4 && sizeof...(lanes) == 0) {
      if (seq != 0) {
        const float *p0 = p, *p1 = p + seq, *p2 = p + 2 * seq, *p3 = p + 3 * seq;
        size_t keys = seq;
        float32x4_t vv;
        uint32_t w0, w1, w2, w3;
        __asm__(
            "1:\n\t"
            "ldr %[w0], [%[p0]], #4\n\tldr %[w1], [%[p1]], #4\n\t"
            "ldr %[w2], [%[p2]], #4\n\tldr %[w3], [%[p3]], #4\n\t"
            "vldrw.u32 %q[vv], [%[vj]]\n\tadd %[vj], %[stride]\n\t"
            "vfma.f32 %q[o0], %q[vv], %[w0]\n\tvfma.f32 %q[o1], %q[vv], %[w1]\n\t"
            "vfma.f32 %q[o2], %q[vv], %[w2]\n\tvfma.f32 %q[o3], %q[vv], %[w3]\n\t"
            "subs %[keys], #1\n\t"
            "bne 1b"
            : [o0] "+w"(o[0]), [o1] "+w"(o[1]), [o2] "+w"(o[2]), [o3] "+w"(o[3]),
              [vj] "+r"(vj), [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2), [p3] "+r"(p3),
              [keys] "+r"(keys), [vv] "=&w"(vv), [w0] "=&r"(w0), [w1] "=&r"(w1),
              [w2] "=&r"(w2), [w3] "=&r"(w3)
            : [stride] "r"(v_stride * sizeof(float))
            : "cc", "memory");
      }
    } else {
      for (size_t j = 0; j < seq; ++j, vj += v_stride) {
        const float32x4_t vv = LoadLanes(vj, lanes...);
        _Pragma("GCC unroll 4") for (size_t r = 0; r < kRows; ++r) {
          o[r] = vfmaq_n_f32(o[r], vv, p[r * seq + j]);
        }
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

// One value of the 2 x 4 tile, from registers numbered xa, xb (X rows 0 and
// 1) and v0..v3 (W rows 0..3): its eight vmla, one per accumulator.
#define TINYENC_FPU_VALUE(xa, xb, v0, v1, v2, v3)                                 \
  "vmla.f32 %[a00], s" #xa ", s" #v0 "\n\tvmla.f32 %[a01], s" #xa ", s" #v1 "\n\t" \
  "vmla.f32 %[a02], s" #xa ", s" #v2 "\n\tvmla.f32 %[a03], s" #xa ", s" #v3 "\n\t" \
  "vmla.f32 %[a10], s" #xb ", s" #v0 "\n\tvmla.f32 %[a11], s" #xb ", s" #v1 "\n\t" \
  "vmla.f32 %[a12], s" #xb ", s" #v2 "\n\tvmla.f32 %[a13], s" #xb ", s" #v3 "\n\t"
// Four values of each of the six rows, one vldmia each into s8-s31, then
// the values in order, so each accumulator adds its products in the order
// of the one-value loop below.
#define TINYENC_FPU_GROUP                                    \
  "vldmia %[x0]!, {s8-s11}\n\tvldmia %[x1]!, {s12-s15}\n\t" \
  "vldmia %[w0]!, {s16-s19}\n\tvldmia %[w1]!, {s20-s23}\n\t" \
  "vldmia %[w2]!, {s24-s27}\n\tvldmia %[w3]!, {s28-s31}\n\t" \
  TINYENC_FPU_VALUE(8, 12, 16, 20, 24, 28)                   \
  TINYENC_FPU_VALUE(9, 13, 17, 21, 25, 29)                   \
  TINYENC_FPU_VALUE(10, 14, 18, 22, 26, 30)                  \
  TINYENC_FPU_VALUE(11, 15, 19, 23, 27, 31)

constexpr size_t kFloatCoreCols = 4;

// sums[r][c] = dot(x_r, w_c) over k floats, two X rows by four W rows: 8
// accumulators and 6 operands of the FPU's 32 registers. Each product is
// rounded before its addition (vmla), as in the scalar reference. Whole
// groups of four values go through assembly: GCC loads one float per vldmia
// and ends each step with a branch, 17 instructions per 8 multiply-adds
// where a group of 32 takes 39 (measured in the board's disassembly).
inline void FloatDotCore(const float* x0, const float* x1, const float* const (&w)[4], size_t k,
                         float (&sums)[2][4]) {
  const float *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
  float a00 = 0.0f, a01 = 0.0f, a02 = 0.0f, a03 = 0.0f;
  float a10 = 0.0f, a11 = 0.0f, a12 = 0.0f, a13 = 0.0f;
  for (const float* const x0_groups_end = x0 + (k & ~size_t{3}); x0 != x0_groups_end;) {
    __asm__(TINYENC_FPU_GROUP
            : [a00] "+t"(a00), [a01] "+t"(a01), [a02] "+t"(a02), [a03] "+t"(a03),
              [a10] "+t"(a10), [a11] "+t"(a11), [a12] "+t"(a12), [a13] "+t"(a13),
              [x0] "+r"(x0), [x1] "+r"(x1), [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2),
              [w3] "+r"(w3)
            :
            : "memory", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17",
              "s18", "s19", "s20", "s21", "s22", "s23", "s24", "s25", "s26", "s27", "s28",
              "s29", "s30", "s31");
  }
  for (const float* const x0_end = x0 + (k & 3); x0 != x0_end;) {
    const float v0 = *w0++, v1 = *w1++, v2 = *w2++, v3 = *w3++;
    const float xa = *x0++, xb = *x1++;
    a00 += xa * v0, a01 += xa * v1, a02 += xa * v2, a03 += xa * v3;
    a10 += xb * v0, a11 += xb * v1, a12 += xb * v2, a13 += xb * v3;
  }
  sums[0][0] = a00, sums[0][1] = a01, sums[0][2] = a02, sums[0][3] = a03;
  sums[1][0] = a10, sums[1][1] = a11, sums[1][2] = a12, sums[1][3] = a13;
}
#undef TINYENC_FPU_GROUP
#undef TINYENC_FPU_VALUE

// One key of P·V's 4 x 4 tile, whose accumulators are s0-s15 (row r's in
// s4r-s4r+3): V's four values in registers v0..v3, the four rows' weights in
// p0..p3; its sixteen vmla.
#define TINYENC_PV_KEY(v0, v1, v2, v3, p0, p1, p2, p3)                         \
  TINYENC_PV_ROW(0, 1, 2, 3, p0, v0, v1, v2, v3)                               \
  TINYENC_PV_ROW(4, 5, 6, 7, p1, v0, v1, v2, v3)                               \
  TINYENC_PV_ROW(8, 9, 10, 11, p2, v0, v1, v2, v3)                             \
  TINYENC_PV_ROW(12, 13, 14, 15, p3, v0, v1, v2, v3)
#define TINYENC_PV_ROW(a0, a1, a2, a3, p, v0, v1, v2, v3)                         \
  "vmla.f32 s" #a0 ", s" #p ", s" #v0 "\n\tvmla.f32 s" #a1 ", s" #p ", s" #v1 "\n\t" \
  "vmla.f32 s" #a2 ", s" #p ", s" #v2 "\n\tvmla.f32 s" #a3 ", s" #p ", s" #v3 "\n\t"

// out[r][c] = sum over j < seq of p[r][j] * v_j[c], for kRows rows of p (seq
// apart) and `cols` columns of V rows v_stride apart: four columns a step,
// 4 x 4 accumulators in FPU registers (the arrays unrolled away, or -Os
// keeps them in memory), each V value shared by the kRows rows. Four rows
// take pairs of keys in assembly: GCC's loop loaded each V value alone and
// spilled a pointer, 31 instructions a key where a pair takes 42.
template <size_t kRows>
inline void WeightedSumOfRowsMProfile(const float* p, size_t seq, const float* v, size_t v_stride,
                                      size_t cols, float* out, size_t out_stride) {
  size_t c = 0;
  for (; c + 4 <= cols; c += 4) {
    float o[kRows][4] = {};
    const float* vj = v + c;
    size_t j = 0;
    if constexpr (kRows == 4) {
      // Pairs of keys: their V values (s16-s19, s20-s23) and each row's two
      // weights (s24-s25 ... s30-s31), then the keys in order, so each
      // accumulator adds its products in the order of the one-key loop.
      const float *p0 = p, *p1 = p + seq, *p2 = p + 2 * seq, *p3 = p + 3 * seq;
      const size_t stride = v_stride * sizeof(float);
      if (size_t pairs = seq / 2; pairs != 0) {
        j = 2 * pairs;
        __asm__(
            "vldm %[o], {s0-s15}\n"
            "1:\n\t"
            "vldm %[vj], {s16-s19}\n\tadd %[vj], %[stride]\n\t"
            "vldm %[vj], {s20-s23}\n\tadd %[vj], %[stride]\n\t"
            "vldmia %[p0]!, {s24-s25}\n\tvldmia %[p1]!, {s26-s27}\n\t"
            "vldmia %[p2]!, {s28-s29}\n\tvldmia %[p3]!, {s30-s31}\n\t"
            TINYENC_PV_KEY(16, 17, 18, 19, 24, 26, 28, 30)
            TINYENC_PV_KEY(20, 21, 22, 23, 25, 27, 29, 31)
            "subs %[pairs], #1\n\t"
            "bne 1b\n\t"
            "vstm %[o], {s0-s15}"
            : [vj] "+r"(vj), [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2), [p3] "+r"(p3),
              [pairs] "+r"(pairs)
            : [o] "r"(&o[0][0]), [stride] "r"(stride)
            : "cc", "memory", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
              "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19", "s20",
              "s21", "s22", "s23", "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31");
      }
    }
    for (; j < seq; ++j, vj += v_stride) {
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
#undef TINYENC_PV_ROW
#undef TINYENC_PV_KEY

}  // namespace tinyenc
#endif  // Helium floating point, or an M-profile single-precision FPU

#ifdef TINYENC_F32_M_PROFILE
namespace tinyenc {

// y[r][c] = dot(x row r, w row c) + (bias ? bias[c] : 0) for m X rows ldx
// apart and n W rows w_stride apart, the register tiles' expression, by the
// board's 2 x kFloatCoreCols cores storing straight to Y: through the tiles'
// driver (SweepTiles, RunTile, StoreTile) their sums' copies cost about a
// tenth of the F32 matrices' instructions. At the right and bottom edges a
// core repeats its last column or row, which then writes the same value
// twice.
inline void FloatRowDotsMProfile(const float* x, size_t ldx, size_t m, const float* w,
                                 size_t w_stride, size_t n, size_t k, const float* bias, float* y,
                                 size_t ldy) {
  for (size_t r0 = 0; r0 < m; r0 += 2) {
    const size_t r1 = r0 + 1 < m ? r0 + 1 : r0;
    const float* const x0 = x + r0 * ldx;
    const float* const x1 = x + r1 * ldx;
    float* const y0 = y + r0 * ldy;
    float* const y1 = y + r1 * ldy;
    for (size_t c0 = 0; c0 < n; c0 += kFloatCoreCols) {
      size_t cols[kFloatCoreCols];
      const float* rows[kFloatCoreCols];
      // Unrolled, or -Os keeps the arrays in memory.
      _Pragma("GCC unroll 4") for (size_t j = 0; j < kFloatCoreCols; ++j) {
        cols[j] = c0 + j < n ? c0 + j : n - 1;
        rows[j] = w + cols[j] * w_stride;
      }
      float sums[2][kFloatCoreCols];
      FloatDotCore(x0, x1, rows, k, sums);
      _Pragma("GCC unroll 4") for (size_t j = 0; j < kFloatCoreCols; ++j) {
        const float b = bias ? bias[cols[j]] : 0.0f;
        y0[cols[j]] = sums[0][j] + b;
        y1[cols[j]] = sums[1][j] + b;
      }
    }
  }
}

}  // namespace tinyenc
#endif

#endif  // TINYENC_SIMD_F32_M_PROFILE_H_
