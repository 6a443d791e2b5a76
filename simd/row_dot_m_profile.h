// I8 row dot products on Cortex-M, where Highway has no target of its own
// (the boards run SCALAR or EMU128): Helium (MVE) on Armv8.1-M, the DSP
// extension's dual 16-bit multiply-accumulate on Armv7E-M. Integer sums in
// any order are exact, so these give the scalar reference's bits.
//
// TINYENC_ROW_DOT_M_PROFILE is defined where one of them is built; the
// DSP one only on M-profile cores (A-profile Armv7 has the DSP extension too,
// but NEON there is faster and Highway drives it).
#ifndef TINYENC_SIMD_ROW_DOT_M_PROFILE_H_
#define TINYENC_SIMD_ROW_DOT_M_PROFILE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TINYENC_ROW_DOT_M_PROFILE 1
#elif defined(__ARM_FEATURE_DSP) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#include <arm_acle.h>
#define TINYENC_ROW_DOT_M_PROFILE 1
#endif

#ifdef TINYENC_ROW_DOT_M_PROFILE
namespace tinyenc {

// Name of the kernel, for the tests and the firmware to say which one ran.
#if defined(__ARM_FEATURE_MVE)
constexpr const char kRowDotKernel[] = "MVE vmladavaq_s16";
#else
constexpr const char kRowDotKernel[] = "DSP smlad";
#endif

// dots[r][c] = sum over i < k of x[r][i] * w[c][i], for kRows X rows (int16
// codes) and kCols W rows (int8 codes).
template <size_t kRows, size_t kCols>
inline void RowDotTileMProfile(const int16_t* const* x, const int8_t* const (&w)[kCols], size_t k,
                               int32_t (&dots)[kRows][kCols]) {
  int32_t acc[kRows][kCols] = {};
  size_t i = 0;
#if defined(__ARM_FEATURE_MVE)
  // Eight lanes a step: the weights are sign-extended to int16 by the load,
  // and one vmladava adds eight products to a scalar accumulator.
  for (; i + 8 <= k; i += 8) {
    int16x8_t wv[kCols];
    for (size_t c = 0; c < kCols; ++c) wv[c] = vldrbq_s16(w[c] + i);
    for (size_t r = 0; r < kRows; ++r) {
      const int16x8_t xv = vldrhq_s16(x[r] + i);
      for (size_t c = 0; c < kCols; ++c) acc[r][c] = vmladavaq_s16(acc[r][c], xv, wv[c]);
    }
  }
#else
  // Four values a step. __sxtb16 sign-extends bytes 0 and 2 of a word into
  // two halfwords, and of the word rotated by 8 bytes 1 and 3; the X codes
  // are paired the same way (x0 with x2, x1 with x3) so that each __smlad
  // adds two products.
  for (; i + 4 <= k; i += 4) {
    uint32_t w02[kCols], w13[kCols];
    for (size_t c = 0; c < kCols; ++c) {
      uint32_t word;
      std::memcpy(&word, w[c] + i, sizeof(word));  // W rows need not be aligned
      w02[c] = __sxtb16(word);
      w13[c] = __sxtb16((word >> 8) | (word << 24));  // sxtb16 ..., ror #8
    }
    for (size_t r = 0; r < kRows; ++r) {
      uint32_t x01, x23;
      std::memcpy(&x01, x[r] + i, sizeof(x01));
      std::memcpy(&x23, x[r] + i + 2, sizeof(x23));
      const uint32_t x02 = (x01 & 0xFFFFu) | (x23 << 16);
      const uint32_t x13 = (x01 >> 16) | (x23 & 0xFFFF0000u);
      for (size_t c = 0; c < kCols; ++c) {
        acc[r][c] = __smlad(x02, w02[c], __smlad(x13, w13[c], acc[r][c]));
      }
    }
  }
#endif
  for (; i < k; ++i) {
    for (size_t r = 0; r < kRows; ++r) {
      for (size_t c = 0; c < kCols; ++c) acc[r][c] += x[r][i] * w[c][i];
    }
  }
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t c = 0; c < kCols; ++c) dots[r][c] = acc[r][c];
  }
}

}  // namespace tinyenc
#endif  // TINYENC_ROW_DOT_M_PROFILE

#endif  // TINYENC_SIMD_ROW_DOT_M_PROFILE_H_
