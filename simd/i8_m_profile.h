// The I8 matmul's kernels on Cortex-M, where Highway has no target of its
// own (the boards run SCALAR or EMU128): Helium (MVE) on Armv8.1-M, the DSP
// extension and the FPU's own rounding conversion on Armv7E-M. Row dot
// products: integer sums in any order are exact, so these give the scalar
// reference's bits. Activation rows: the same max, the same rounding (to
// nearest, ties to even), so the same codes.
//
// TINYENC_I8_M_PROFILE is defined where they are built; the DSP ones only on
// M-profile cores (A-profile Armv7 has the DSP extension too, but NEON there
// is faster and Highway drives it).
#ifndef TINYENC_SIMD_I8_M_PROFILE_H_
#define TINYENC_SIMD_I8_M_PROFILE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "simd/matmul.h"
#include "simd/matmul_scratch.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TINYENC_I8_M_PROFILE 1
#elif defined(__ARM_FEATURE_DSP) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define TINYENC_I8_M_PROFILE 1
#endif

#ifdef TINYENC_I8_M_PROFILE
#include <cmath>

namespace tinyenc {

// Name of the kernel, for the tests and the firmware to say which one ran.
#if defined(__ARM_FEATURE_MVE)
constexpr const char kRowDotKernel[] = "MVE vmladavaq_s16 (8-bit X codes: vmladavaq_s8)";
#else
constexpr const char kRowDotKernel[] = "DSP smlad";
#endif

#if !defined(__ARM_FEATURE_MVE)
// On the DSP path the activation rows hold each whole group of four codes
// x0..x3 in the order x0, x2, x1, x3 (RoundRowMProfile): a group is then
// the halfword pairs (x0, x2) and (x1, x3) that match sxtb16's widening of
// weight bytes 0 and 2, and (rotated by 8) 1 and 3, so each smlad adds two
// products with no repacking. A row's last k % 4 codes keep their places.

// X rows four at a time against W rows for DspDotBlock: x holds the first
// quad's rows (a quad's rows need not be distinct); each next quad's row j
// starts x_skip bytes after the code the one before ended at (8 bytes a
// group). A quad's four sums go, as int32 bits, to y_step bytes apart from
// y, the next W row's 4 bytes on. W's rows are w_step bytes apart.
struct DspBlock {
  const int16_t* x[4];
  size_t x_skip;
  size_t quads;
  int32_t* y;
  size_t y_step;
  size_t columns;
  size_t w_step;
};
// DspDotBlock's assembly reads the fields at these offsets.
static_assert(offsetof(DspBlock, x_skip) == 16 && offsetof(DspBlock, quads) == 20 &&
                  offsetof(DspBlock, y) == 24 && offsetof(DspBlock, y_step) == 28 &&
                  offsetof(DspBlock, columns) == 32 && offsetof(DspBlock, w_step) == 36,
              "DspBlock's layout");

// The integer sums over i < 4 * groups of x[j][i] * w[i] for every quad and
// W row (X rows in groups as above, 4-byte aligned for ldrd; W any
// alignment). A group: W's word widened once by two sxtb16 (bytes 0 and 2,
// and rotated by 8, 1 and 3), each X row's two pairs loaded by one ldrd,
// eight smlad: 15 instructions for 16 multiply-adds, four groups a loop
// (the first groups % 4 before it), where a 2 x 2 core took 17. Its four
// accumulators, five pointers, the end and four operands take all fourteen
// core registers (r0-r12, lr), which GCC will not give an asm statement, so
// the function is written whole: naked, its arguments in r0-r2 (AAPCS).
// `block` is consumed.
__attribute__((naked, noinline)) inline void DspDotBlock(DspBlock& /*block: r0*/,
                                                         const int8_t* /*w: r1*/,
                                                         size_t /*groups: r2*/) {
#define TINYENC_DSP_ROW(pointer, sum)     \
  "ldrd   r12, lr, [" pointer "], #8\n\t" \
  "smlad  " sum ", r12, r10, " sum "\n\t" \
  "smlad  " sum ", lr, r11, " sum "\n\t"
#define TINYENC_DSP_GROUP                                                        \
  "ldr    r10, [r1], #4\n\t"                                                     \
  "sxtb16 r11, r10, ror #8\n\t"                                                  \
  "sxtb16 r10, r10\n\t" TINYENC_DSP_ROW("r4", "r0") TINYENC_DSP_ROW("r5", "r3") \
      TINYENC_DSP_ROW("r6", "r8") TINYENC_DSP_ROW("r7", "r9")
  // The stack: the Y cursor and the quads left, then the block, this W row
  // and the groups.
  __asm__(
      "push   {r4-r11, lr}\n\t"
      "push   {r0-r2}\n\t"
      "5:\n\t"  // a W row
      "ldr    r12, [sp]\n\t"
      "ldm    r12, {r4-r7}\n\t"
      "ldr    r10, [r12, #24]\n\t"
      "ldr    r11, [r12, #20]\n\t"
      "push   {r10, r11}\n\t"
      "4:\n\t"  // a quad
      "ldrd   r1, r2, [sp, #12]\n\t"
      "movs   r0, #0\n\t"
      "movs   r3, #0\n\t"
      "mov    r8, #0\n\t"
      "mov    r9, #0\n\t"
      "lsls   r12, r2, #31\n\t"        // groups' bit 0 to N, bit 1 to C
      "add    r2, r1, r2, lsl #2\n\t"  // the end of W's groups; the flags stay
      "bpl    1f\n\t" TINYENC_DSP_GROUP
      "1:\n\t"
      "bcc    2f\n\t" TINYENC_DSP_GROUP TINYENC_DSP_GROUP
      "2:\n\t"
      "cmp    r1, r2\n\t"
      "beq    3f\n\t"
      "6:\n\t" TINYENC_DSP_GROUP TINYENC_DSP_GROUP TINYENC_DSP_GROUP TINYENC_DSP_GROUP
      "cmp    r1, r2\n\t"
      "bne    6b\n\t"
      "3:\n\t"
      "ldr    r12, [sp, #8]\n\t"
      "ldr    r10, [sp]\n\t"
      "ldr    r11, [r12, #28]\n\t"
      "str    r0, [r10]\n\t"
      "str    r3, [r10, r11]\n\t"
      "add    r10, r10, r11, lsl #1\n\t"
      "str    r8, [r10]\n\t"
      "str    r9, [r10, r11]\n\t"
      "add    r10, r10, r11, lsl #1\n\t"
      "str    r10, [sp]\n\t"
      "ldr    r10, [r12, #16]\n\t"
      "add    r4, r10\n\t"
      "add    r5, r10\n\t"
      "add    r6, r10\n\t"
      "add    r7, r10\n\t"
      "ldr    r10, [sp, #4]\n\t"
      "subs   r10, #1\n\t"
      "str    r10, [sp, #4]\n\t"
      "bne    4b\n\t"
      "add    sp, #8\n\t"
      "ldr    r12, [sp]\n\t"
      "ldr    r10, [r12, #24]\n\t"
      "add    r10, #4\n\t"
      "str    r10, [r12, #24]\n\t"
      "ldr    r10, [sp, #4]\n\t"
      "ldr    r11, [r12, #36]\n\t"
      "add    r10, r11\n\t"
      "str    r10, [sp, #4]\n\t"
      "ldr    r10, [r12, #32]\n\t"
      "subs   r10, #1\n\t"
      "str    r10, [r12, #32]\n\t"
      "bne    5b\n\t"
      "add    sp, #12\n\t"
      "pop    {r4-r11, pc}\n\t");
#undef TINYENC_DSP_GROUP
#undef TINYENC_DSP_ROW
}
#endif

#if defined(__ARM_FEATURE_MVE)
// Helium's 8-bit X codes: matmul.h's u in [0, 255] is stored as the signed
// byte u - 128, since vmladava multiplies two signed (or two unsigned)
// operands and the weights are signed; each output adds back 128 times the
// W row's code sum (ScaleDotsHelium).
constexpr int32_t kNarrowCodeOffset = 128;

// The two code widths of HeliumDotBlock's steps: int16 X codes against
// weights sign-extended to int16 by the load, eight lanes; or 8-bit X codes
// (above), sixteen lanes, twice the products per vmladava.
struct HeliumWideCodes {
  using Code = int16_t;
  static constexpr size_t kLanes = 8;
};
struct HeliumNarrowCodes {
  using Code = int8_t;
  static constexpr size_t kLanes = 16;
};

// Row pairs of X against W rows three at a time for HeliumDotBlock: x0
// and x1 are the first pair's rows, each next pair's x_step bytes on; W's
// first row at w, its rows w_step bytes apart; the pair's six sums go, as
// int32 bits, to y (the pair's first row, then y_step bytes on its
// second), each next triple's 12 bytes on and each next pair's two rows.
struct HeliumBlock {
  const void* x0;
  const void* x1;
  size_t x_step;
  size_t pairs;
  const int8_t* w;
  size_t w_step;
  size_t triples;
  size_t steps;  // whole vector steps of k
  int32_t* y;
  size_t y_step;
};
// HeliumDotBlock's assembly reads the fields at these offsets.
static_assert(offsetof(HeliumBlock, x_step) == 8 && offsetof(HeliumBlock, pairs) == 12 &&
                  offsetof(HeliumBlock, w) == 16 && offsetof(HeliumBlock, w_step) == 20 &&
                  offsetof(HeliumBlock, triples) == 24 && offsetof(HeliumBlock, steps) == 28 &&
                  offsetof(HeliumBlock, y) == 32 && offsetof(HeliumBlock, y_step) == 36,
              "HeliumBlock's layout");

// The integer sums over whole steps of two X rows by three W rows, for
// every pair and triple of a HeliumBlock: one vmladava adds a step's
// products to a scalar accumulator, and accumulates in even-numbered core
// registers only, so six accumulators (r0-r10) and five pointers (the odd
// ones) fit, where a 4 x 4 tile's sixteen spilled every step: 12
// instructions a step for 6 sums, against 2 x 2's 9 for 4. The loop count
// is in lr (wls / le); q0-q2 hold the W rows' step, q3 each X row's in
// turn. Written whole in assembly, walking the pairs and triples itself:
// GCC's C around a 2 x 3 core (pointers, zeros, stores) took about 55
// instructions a core, as many as the loop's four steps at k = 64; here 30.
// x_load and w_load are the step's loads (post-indexed), dot the vmladava;
// `block` is consumed.
#define TINYENC_HELIUM_DOT_BLOCK(x_load, w_load, dot)                     \
  __asm__(                                                                \
      "push   {r4-r11, lr}\n\t"                                           \
      "push   {r0}\n\t"                                                   \
      "6:\n\t" /* a row pair */                                           \
      "ldr    r12, [sp]\n\t"                                              \
      "ldr    r11, [r12, #16]\n\t"                                        \
      "push   {r11}\n\t"                                                  \
      "ldr    r11, [r12, #32]\n\t"                                        \
      "push   {r11}\n\t"                                                  \
      "ldr    r11, [r12, #24]\n\t"                                        \
      "push   {r11}\n\t" /* triples left, Y, W, the block */              \
      "5:\n\t"           /* a triple */                                   \
      "ldr    r12, [sp, #12]\n\t"                                         \
      "ldrd   r7, r9, [r12]\n\t"                                          \
      "ldr    r11, [r12, #20]\n\t"                                        \
      "ldr    r1, [sp, #8]\n\t"                                           \
      "add    r3, r1, r11\n\t"                                            \
      "add    r5, r3, r11\n\t"                                            \
      "add    r11, r5, r11\n\t"                                           \
      "str    r11, [sp, #8]\n\t"                                          \
      "ldr    r11, [r12, #28]\n\t"                                        \
      "movs   r0, #0\n\t"                                                 \
      "movs   r2, #0\n\t"                                                 \
      "movs   r4, #0\n\t"                                                 \
      "movs   r6, #0\n\t"                                                 \
      "mov    r8, #0\n\t"                                                 \
      "mov    r10, #0\n\t"                                                \
      "wls    lr, r11, 2f\n\t"                                            \
      "1:\n\t"                                                            \
      w_load(q0, r1) w_load(q1, r3) w_load(q2, r5) x_load(q3, r7)         \
      dot " r0, q3, q0\n\t" dot " r2, q3, q1\n\t" dot " r4, q3, q2\n\t"     \
      x_load(q3, r9)                                                      \
      dot " r6, q3, q0\n\t" dot " r8, q3, q1\n\t" dot " r10, q3, q2\n\t"    \
      "le     lr, 1b\n\t"                                                 \
      "2:\n\t"                                                            \
      "ldr    r11, [sp, #4]\n\t"                                          \
      "ldr    r12, [sp, #12]\n\t"                                         \
      "ldr    r12, [r12, #36]\n\t"                                        \
      "strd   r0, r2, [r11]\n\t"                                          \
      "str    r4, [r11, #8]\n\t"                                          \
      "add    r12, r11\n\t"                                               \
      "strd   r6, r8, [r12]\n\t"                                          \
      "str    r10, [r12, #8]\n\t"                                         \
      "add    r11, #12\n\t"                                               \
      "str    r11, [sp, #4]\n\t"                                          \
      "ldr    r11, [sp]\n\t"                                              \
      "subs   r11, #1\n\t"                                                \
      "str    r11, [sp]\n\t"                                              \
      "bne    5b\n\t"                                                     \
      "add    sp, #12\n\t"                                                \
      "ldr    r12, [sp]\n\t"                                              \
      "ldrd   r7, r9, [r12]\n\t"                                          \
      "ldr    r11, [r12, #8]\n\t"                                         \
      "add    r7, r11\n\t"                                                \
      "add    r9, r11\n\t"                                                \
      "strd   r7, r9, [r12]\n\t"                                          \
      "ldr    r7, [r12, #32]\n\t"                                         \
      "ldr    r11, [r12, #36]\n\t"                                        \
      "add    r7, r7, r11, lsl #1\n\t"                                    \
      "str    r7, [r12, #32]\n\t"                                         \
      "ldr    r11, [r12, #12]\n\t"                                        \
      "subs   r11, #1\n\t"                                                \
      "str    r11, [r12, #12]\n\t"                                        \
      "bne    6b\n\t"                                                     \
      "add    sp, #4\n\t"                                                 \
      "pop    {r4-r11, pc}\n\t")
#define TINYENC_HELIUM_LOAD_WIDE_X(q, r) "vldrh.16 " #q ", [" #r "], #16\n\t"
#define TINYENC_HELIUM_LOAD_WIDE_W(q, r) "vldrb.s16 " #q ", [" #r "], #8\n\t"
#define TINYENC_HELIUM_LOAD_BYTES(q, r) "vldrb.8 " #q ", [" #r "], #16\n\t"
template <class Codes>
void HeliumDotBlock(HeliumBlock& block);
template <>
__attribute__((naked, noinline)) inline void HeliumDotBlock<HeliumWideCodes>(HeliumBlock&) {
  TINYENC_HELIUM_DOT_BLOCK(TINYENC_HELIUM_LOAD_WIDE_X, TINYENC_HELIUM_LOAD_WIDE_W,
                           "vmladava.s16");
}
template <>
__attribute__((naked, noinline)) inline void HeliumDotBlock<HeliumNarrowCodes>(HeliumBlock&) {
  TINYENC_HELIUM_DOT_BLOCK(TINYENC_HELIUM_LOAD_BYTES, TINYENC_HELIUM_LOAD_BYTES, "vmladava.s8");
}
#undef TINYENC_HELIUM_LOAD_BYTES
#undef TINYENC_HELIUM_LOAD_WIDE_W
#undef TINYENC_HELIUM_LOAD_WIDE_X
#undef TINYENC_HELIUM_DOT_BLOCK

// The sum of a W row's k codes.
inline int32_t HeliumCodeSum(const int8_t* w, size_t k) {
  int32_t sum = 0;
  for (size_t steps = k / 16; steps != 0; --steps, w += 16) sum = vaddvaq_s8(sum, vld1q_s8(w));
  if (k % 16 != 0) sum = vaddvaq_s8(sum, vldrbq_z_s8(w, vctp8q(k % 16)));
  return sum;
}
#endif

#if defined(__ARM_FEATURE_MVE)
// Where a row of W's code sums comes from for the 8-bit codes' zero points:
// the file's (exact in float) or, without them, the codes themselves.
struct CodeSums {
  const float* file;
  const int8_t* w;
  size_t k;
  int32_t Of(size_t c) const {
    return file != nullptr ? static_cast<int32_t>(file[c]) : HeliumCodeSum(w + c * k, k);
  }
  int32x4_t OfFour(size_t c) const {
    if (file != nullptr) return vcvtq_s32_f32(vld1q_f32(file + c));
    const int32_t four[4] = {Of(c), Of(c + 1), Of(c + 2), Of(c + 3)};
    return vld1q_s32(four);
  }
};

// y[r][c], which holds the integer dot product of X row r's codes and W row
// c as an int32's bits, becomes dot * (X row r's scale * W row c's scale) +
// bias[c] (+ 0 without one), the DSP path's expression, for rows
// [row_begin, row_end) and columns [begin, end): four columns a step. With
// kNarrow the dot first gains its zero point's share: sum (u - z) w =
// sum (u - 128) w + (128 - z) sum w, which fits an i32 (kNarrowMaxK), so
// the wrapping integer arithmetic gives it exactly. Scaling and correcting
// each core's sums in place took about as many instructions as its loop.
template <bool kNarrow>
inline void ScaleDotsHelium(const RowCodes& q, size_t row_begin, size_t row_end,
                            const float* w_scales, [[maybe_unused]] const CodeSums& sums,
                            const float* bias, size_t begin, size_t end, float* y, size_t ldy) {
  for (size_t r = row_begin; r < row_end; ++r) {
    float* const row = y + r * ldy;
    const float x_scale = q.Scale(r);
    [[maybe_unused]] const int32_t offset = kNarrow ? kNarrowCodeOffset - q.Zero(r) : 0;
    size_t c = begin;
    for (; c + 4 <= end; c += 4) {
      int32x4_t dots;
      std::memcpy(&dots, row + c, sizeof(dots));
      if constexpr (kNarrow) dots = vmlaq_n_s32(dots, sums.OfFour(c), offset);
      const float32x4_t scales = vmulq_n_f32(vld1q_f32(w_scales + c), x_scale);
      const float32x4_t biases = bias ? vld1q_f32(bias + c) : vdupq_n_f32(0.0f);
      vst1q_f32(row + c, vaddq_f32(vmulq_f32(vcvtq_f32_s32(dots), scales), biases));
    }
    for (; c < end; ++c) {
      int32_t dot;
      std::memcpy(&dot, row + c, sizeof(dot));
      if constexpr (kNarrow) {
        const uint32_t share = static_cast<uint32_t>(offset) * static_cast<uint32_t>(sums.Of(c));
        dot = static_cast<int32_t>(static_cast<uint32_t>(dot) + share);
      }
      row[c] = static_cast<float>(dot) * (x_scale * w_scales[c]) + (bias ? bias[c] : 0.0f);
    }
  }
}
#endif

// The cores below sum whole groups (DSP) or vector steps (Helium) of the
// codes, leaving each sum in Y as int32 bits; this adds the products of
// codes [whole, k) of X rows [row_begin, row_end) and W rows [begin, end).
template <class Code>
inline void AddTailProducts(const RowCodes& q, size_t row_begin, size_t row_end, const int8_t* w,
                            size_t k, size_t whole, size_t begin, size_t end, float* y,
                            size_t ldy) {
  if (whole == k) return;
  for (size_t r = row_begin; r < row_end; ++r) {
    const auto* const x = reinterpret_cast<const Code*>(q.Codes(r));
    for (size_t c = begin; c < end; ++c) {
      int32_t sum;
      std::memcpy(&sum, y + r * ldy + c, sizeof(sum));
      for (size_t i = whole; i < k; ++i) sum += x[i] * w[c * k + i];
      std::memcpy(y + r * ldy + c, &sum, sizeof(sum));
    }
  }
}

// y[r][c] = dot(X row r's codes, W row c) * X row r's scale * W row c's
// scale (+ bias[c]) for X rows [row_begin, row_end) and W rows [begin, end)
// of k codes each, row c at w + c * k, by cores of two rows by three W rows
// (Helium) or four rows by one (DSP). Where the rows or W rows do not fill
// the last core it is moved back to end at the last one, and writes some
// sums twice, the same value.
#if defined(__ARM_FEATURE_MVE)
// Helium: HeliumDotBlock walks row pairs (outer) and W's rows three at a
// time, the sums waiting in Y as int32 bits for ScaleDotsHelium: rows / 2
// pairs, and one moved back to end at row_end when rows is odd (a single
// row pairs with itself, its sums stored twice in place); columns / 3
// triples, and one moved back likewise. Fewer than three columns go one at
// a time through a buffer. The last k % kLanes products are added in C.
// With kNarrow X rows hold 8-bit codes (QuantizeNarrowRowMProfile), whose
// zero points ScaleDotsHelium accounts for with W's code sums: the file's
// (w_row_sums) or the codes'.
template <bool kNarrow>
inline void RowDotsMProfile(const RowCodes& q, size_t row_begin, size_t row_end, const int8_t* w,
                            size_t k, const float* w_scales, const float* w_row_sums,
                            size_t begin, size_t end, const float* bias, float* y, size_t ldy) {
  using Codes = std::conditional_t<kNarrow, HeliumNarrowCodes, HeliumWideCodes>;
  const size_t rows = row_end - row_begin, columns = end - begin;
  const size_t steps = k / Codes::kLanes, whole = steps * Codes::kLanes;
  const bool single = rows == 1;
  const size_t pair_step = 2 * RowCodes::Stride(k) * sizeof(int16_t);
  const size_t y_step = single ? 0 : ldy * sizeof(float);
  const size_t pair_runs[2][2] = {{row_begin, single ? 1 : rows / 2},
                                  {row_end - 2, size_t{!single && rows % 2 != 0}}};
  const size_t triple_runs[2][2] = {{begin, columns / 3},
                                    {end - 3, size_t{columns > 3 && columns % 3 != 0}}};
  for (const auto& pairs : pair_runs) {
    for (size_t pair = 0; pair < pairs[1]; ++pair) {
      const size_t r = pairs[0] + 2 * pair;
      const void* const x0 = q.Codes(r);
      const void* const x1 = single ? x0 : q.Codes(r + 1);
      if (columns >= 3) {
        // One walk covers all of the run's pairs.
        for (const auto& triples : triple_runs) {
          if (triples[1] == 0) continue;
          auto* const sums = reinterpret_cast<int32_t*>(y + r * ldy + triples[0]);
          HeliumBlock block{x0, x1, pair_step, pairs[1], w + triples[0] * k, k, triples[1],
                            steps, sums, y_step};
          HeliumDotBlock<Codes>(block);
        }
        break;
      }
      for (size_t c = begin; c < end; ++c) {
        int32_t sums[2][3];
        HeliumBlock block{x0, x1, pair_step, 1, w + c * k, 0, 1, steps, sums[0], sizeof(sums[0])};
        HeliumDotBlock<Codes>(block);
        std::memcpy(y + r * ldy + c, &sums[0][0], sizeof(int32_t));
        if (!single) std::memcpy(y + (r + 1) * ldy + c, &sums[1][0], sizeof(int32_t));
      }
    }
  }
  AddTailProducts<typename Codes::Code>(q, row_begin, row_end, w, k, whole, begin, end, y, ldy);
  ScaleDotsHelium<kNarrow>(q, row_begin, row_end, w_scales, CodeSums{w_row_sums, w, k}, bias,
                           begin, end, y, ldy);
}
#else
// out[c], an integer sum as int32 bits, becomes sum * (x_scale * w_scale[c])
// + bias[c], the scalar form's expression: without a bias it adds a zero,
// as that does. Groups of four in assembly: one vldm each for the sums (the
// FPU converts them in its own registers), the scales and the biases, and
// four vcvt, eight vmul and four vadd, 22 instructions where GCC's loop
// took 13 a value.
inline void ScaleSumsFpu(float* out, const float* w_scale, const float* bias, float x_scale,
                         size_t count) {
  // Without a bias b stays on these zeros, the tail's (count % 4 < 4) too.
  static constexpr float kNoBias[4] = {};
  const float* b = bias ? bias : kNoBias;
  const size_t b_step = bias ? sizeof(kNoBias) : 0;
  if (size_t groups = count / 4; groups != 0) {
    __asm__(
        "1:\n\t"
        "vldm   %[out], {s0-s3}\n\t"
        "vldmia %[w]!, {s4-s7}\n\t"
        "vldm   %[b], {s8-s11}\n\t"
        "add    %[b], %[b_step]\n\t"
        "vcvt.f32.s32 s0, s0\n\tvcvt.f32.s32 s1, s1\n\t"
        "vcvt.f32.s32 s2, s2\n\tvcvt.f32.s32 s3, s3\n\t"
        "vmul.f32 s4, %[x], s4\n\tvmul.f32 s5, %[x], s5\n\t"
        "vmul.f32 s6, %[x], s6\n\tvmul.f32 s7, %[x], s7\n\t"
        "vmul.f32 s0, s0, s4\n\tvmul.f32 s1, s1, s5\n\t"
        "vmul.f32 s2, s2, s6\n\tvmul.f32 s3, s3, s7\n\t"
        "vadd.f32 s0, s0, s8\n\tvadd.f32 s1, s1, s9\n\t"
        "vadd.f32 s2, s2, s10\n\tvadd.f32 s3, s3, s11\n\t"
        "vstmia %[out]!, {s0-s3}\n\t"
        "subs   %[groups], #1\n\t"
        "bne    1b"
        : [out] "+r"(out), [w] "+r"(w_scale), [b] "+r"(b), [groups] "+r"(groups)
        : [x] "t"(x_scale), [b_step] "r"(b_step)
        : "cc", "memory", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
          "s11");
  }
  for (size_t c = 0; c < count % 4; ++c) {
    int32_t sum;
    std::memcpy(&sum, out + c, sizeof(sum));
    out[c] = static_cast<float>(sum) * (x_scale * w_scale[c]) + b[c];
  }
}

// DSP: DspDotBlock runs X's rows four at a time against the W rows, the
// sums waiting in Y as int32 bits (a last quad short of rows moved back to
// end at row_end; with fewer than four rows, the last one repeated and the
// sums put in a buffer one W row at a time); then the sums gain the last
// k % 4 products and each row is scaled.
template <bool kNarrow>
inline void RowDotsMProfile(const RowCodes& q, size_t row_begin, size_t row_end, const int8_t* w,
                            size_t k, const float* w_scales, const float* /*w_row_sums*/,
                            size_t begin, size_t end, const float* bias, float* y, size_t ldy) {
  static_assert(!kNarrow, "8-bit X codes are Helium's");
  const size_t rows = row_end - row_begin, whole = k & ~size_t{3}, columns = end - begin;
  // A quad's rows end each group of four codes 8 bytes on.
  const size_t x_skip = 4 * RowCodes::Stride(k) * sizeof(int16_t) - 2 * whole;
  const size_t y_step = ldy * sizeof(float);
  const int8_t* const w_begin = w + begin * k;
  if (rows >= 4) {
    for (size_t r = row_begin;; r = row_end - 4) {
      DspBlock block{{q.Codes(r), q.Codes(r + 1), q.Codes(r + 2), q.Codes(r + 3)},
                     x_skip,
                     r == row_begin ? rows / 4 : 1,
                     reinterpret_cast<int32_t*>(y + r * ldy + begin),
                     y_step,
                     columns,
                     k};
      DspDotBlock(block, w_begin, whole / 4);
      if (r != row_begin || rows % 4 == 0) break;
    }
  } else {
    const int16_t* x[4];
    for (size_t j = 0; j < 4; ++j) x[j] = q.Codes(j < rows ? row_begin + j : row_end - 1);
    for (size_t c = begin; c < end; ++c) {
      int32_t sums[4];
      DspBlock block{{x[0], x[1], x[2], x[3]}, x_skip, 1, sums, sizeof(int32_t), 1, k};
      DspDotBlock(block, w + c * k, whole / 4);
      for (size_t j = 0; j < rows; ++j) std::memcpy(y + (row_begin + j) * ldy + c, &sums[j], 4);
    }
  }
  AddTailProducts<int16_t>(q, row_begin, row_end, w, k, whole, begin, end, y, ldy);
  for (size_t r = row_begin; r < row_end; ++r) {
    ScaleSumsFpu(y + r * ldy + begin, w_scales + begin, bias ? bias + begin : nullptr, q.Scale(r),
                 columns);
  }
}
#endif

// The largest |v| of a row's k values, and 0 when every value is finite,
// NaN otherwise (the max itself may then be anything).
#if defined(__ARM_FEATURE_MVE)
// A row's smallest and largest of k values, the range widened to hold 0;
// false when a value is NaN or infinite (the sum of v - v is then NaN), and
// lo and hi may then be anything.
inline bool ScanRangeHelium(const float* in, size_t k, float* lo, float* hi) {
  float32x4_t lo_v = vdupq_n_f32(0.0f), hi_v = lo_v, deviations_v = lo_v;
  size_t i = 0;
  for (; i + 4 <= k; i += 4) {
    const float32x4_t v = vld1q_f32(in + i);
    lo_v = vminnmq_f32(lo_v, v), hi_v = vmaxnmq_f32(hi_v, v);
    deviations_v = vaddq_f32(deviations_v, vsubq_f32(v, v));
  }
  *lo = vminnmvq_f32(0.0f, lo_v), *hi = vmaxnmvq_f32(0.0f, hi_v);
  float deviations = 0.0f;
  for (int lane = 0; lane < 4; ++lane) deviations += vgetq_lane_f32(deviations_v, lane);
  for (; i < k; ++i) {
    *lo = std::fmin(*lo, in[i]), *hi = std::fmax(*hi, in[i]);
    deviations += in[i] - in[i];
  }
  return deviations == 0.0f;
}
#endif

inline void ScanRowMProfile(const float* in, size_t k, float* amax, float* non_finite) {
#if defined(__ARM_FEATURE_MVE)
  float lo, hi;
  const bool finite = ScanRangeHelium(in, k, &lo, &hi);
  *amax = hi > -lo ? hi : -lo;
  *non_finite = finite ? 0.0f : NAN;
#else
  // Magnitudes' bit patterns order as the magnitudes do, and those from
  // infinity's up are infinities and NaNs: one integer max finds both (the
  // float compare's flag transfer and the v - v sum took twice as long).
  // Shifted left by one the sign drops out, and the compare takes its
  // operand shifted: three instructions a value, four values a loop (GCC's
  // loop took eight a value).
  constexpr uint32_t kInfinityBits = 0x7f800000u;
  uint32_t largest_doubled = 0;
#define TINYENC_TAKE_DOUBLED(value)                     \
  "cmp    %[largest], %[" value "], lsl #1\n\t"          \
  "it     cc\n\t"                                      \
  "lslcc  %[largest], %[" value "], #1\n\t"
  const float* next = in;
  for (const float* const end = in + (k & ~size_t{3}); next != end;) {
    uint32_t a, b, c, d;
    __asm__("ldrd   %[a], %[b], [%[next]], #8\n\t"
            "ldrd   %[c], %[d], [%[next]], #8\n\t"  //
            TINYENC_TAKE_DOUBLED("a") TINYENC_TAKE_DOUBLED("b") TINYENC_TAKE_DOUBLED("c")
                TINYENC_TAKE_DOUBLED("d")
            : [largest] "+r"(largest_doubled), [next] "+r"(next), [a] "=&r"(a), [b] "=&r"(b),
              [c] "=&r"(c), [d] "=&r"(d)
            :
            : "cc", "memory");
  }
#undef TINYENC_TAKE_DOUBLED
  for (; next != in + k; ++next) {
    uint32_t bits;
    std::memcpy(&bits, next, sizeof(bits));
    largest_doubled = bits << 1 > largest_doubled ? bits << 1 : largest_doubled;
  }
  const uint32_t largest_bits = largest_doubled >> 1;
  std::memcpy(amax, &largest_bits, sizeof(largest_bits));
  *non_finite = largest_bits >= kInfinityBits ? NAN : 0.0f;
#endif
}

// codes[i] = in[i] * multiplier rounded to the nearest integer, ties to even
// (the FPU's default mode, as std::nearbyint), for finite values that round
// into int16.
inline void RoundRowMProfile(const float* in, size_t k, float multiplier, int16_t* codes) {
  size_t i = 0;
#if defined(__ARM_FEATURE_MVE)
  for (; i + 4 <= k; i += 4) {
    // vstrhq_s32 keeps each lane's low half: the codes fit int16.
    vstrhq_s32(codes + i, vcvtnq_s32_f32(vmulq_n_f32(vld1q_f32(in + i), multiplier)));
  }
  for (; i < k; ++i) codes[i] = static_cast<int16_t>(std::nearbyint(in[i] * multiplier));
#else
  // vcvtr converts in the FPSCR's rounding mode; newlib's nearbyintf is a
  // library call of some 30 instructions.
  const auto round = [multiplier](float value) {
    float rounded;
    __asm__("vcvtr.s32.f32 %0, %1" : "=t"(rounded) : "t"(value * multiplier));
    int32_t code;
    std::memcpy(&code, &rounded, sizeof(code));
    return code;
  };
  // A group of four in one statement: one vldmia, the two-register vmov
  // and pkhbt packing the pairs (x0, x2) and (x1, x3) for one strd, about
  // four instructions a value where GCC's code took seven.
  const float* next = in;
  int16_t* out = codes;
  for (const float* const end = in + (k & ~size_t{3}); next != end;) {
    uint32_t x0, x1, x2, x3;
    __asm__(
        "vldmia %[next]!, {s8-s11}\n\t"
        "vmul.f32 s8, s8, %[multiplier]\n\t"
        "vmul.f32 s9, s9, %[multiplier]\n\t"
        "vmul.f32 s10, s10, %[multiplier]\n\t"
        "vmul.f32 s11, s11, %[multiplier]\n\t"
        "vcvtr.s32.f32 s8, s8\n\t"
        "vcvtr.s32.f32 s9, s9\n\t"
        "vcvtr.s32.f32 s10, s10\n\t"
        "vcvtr.s32.f32 s11, s11\n\t"
        "vmov   %[x0], %[x1], s8, s9\n\t"
        "vmov   %[x2], %[x3], s10, s11\n\t"
        "pkhbt  %[x0], %[x0], %[x2], lsl #16\n\t"
        "pkhbt  %[x1], %[x1], %[x3], lsl #16\n\t"
        "strd   %[x0], %[x1], [%[out]], #8\n\t"
        : [next] "+r"(next), [out] "+r"(out), [x0] "=&r"(x0), [x1] "=&r"(x1), [x2] "=&r"(x2),
          [x3] "=&r"(x3)
        : [multiplier] "t"(multiplier)
        : "s8", "s9", "s10", "s11", "memory");
  }
  for (i = k & ~size_t{3}; i < k; ++i) codes[i] = static_cast<int16_t>(round(in[i]));
#endif
}

#if defined(__ARM_FEATURE_MVE)
// Row `in`'s 8-bit codes by QuantizeActivationsNarrowRef's rule (matmul.h),
// stored as u - kNarrowCodeOffset: the range [lo, hi] widened to hold 0,
// scale (hi - lo) / 255, zero point round(-lo * 255 / (hi - lo)). A row with
// NaN or infinity gets a NaN scale (its outputs are NaN) and zero codes.
inline void QuantizeNarrowRowMProfile(const float* in, size_t k, int8_t* codes, float* scale,
                                      int32_t* zero) {
  float lo, hi;
  if (!ScanRangeHelium(in, k, &lo, &hi)) {
    for (size_t j = 0; j < k; ++j) codes[j] = 0;
    *scale = std::numeric_limits<float>::quiet_NaN();
    *zero = kNarrowCodeOffset;
    return;
  }
  const NarrowRange coding = NarrowRangeOf(lo, hi);
  const float multiplier = coding.multiplier;
  *scale = coding.scale;
  *zero = coding.zero;
  const int32x4_t shift = vdupq_n_s32(*zero - kNarrowCodeOffset);
  const int32x4_t low = vdupq_n_s32(-kNarrowCodeOffset);
  const int32x4_t high = vdupq_n_s32(255 - kNarrowCodeOffset);
  size_t i = 0;
  for (; i + 4 <= k; i += 4) {
    const float32x4_t scaled = vmulq_n_f32(vld1q_f32(in + i), multiplier);
    const int32x4_t u = vaddq_s32(vcvtnq_s32_f32(scaled), shift);
    vstrbq_s32(codes + i, vminq_s32(vmaxq_s32(u, low), high));  // each lane's low byte
  }
  for (; i < k; ++i) {
    const int32_t u = static_cast<int32_t>(std::nearbyint(in[i] * multiplier)) + *zero;
    codes[i] = static_cast<int8_t>((u < 0 ? 0 : u > 255 ? 255 : u) - kNarrowCodeOffset);
  }
}
#endif

}  // namespace tinyenc
#endif  // TINYENC_I8_M_PROFILE

#endif  // TINYENC_SIMD_I8_M_PROFILE_H_
