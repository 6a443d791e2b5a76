// Dispatch entry point for real_fft-inl.h, and the twiddle table.
#include "audio/real_fft.h"

#include <cmath>

#include "audio/bit_reverse.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "audio/real_fft.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "audio/real_fft-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(RealFftMagnitudes);

void RealFftMagnitudes(float* frame, size_t n, const float* twiddles, size_t bins,
                       float* magnitudes) {
  HWY_DYNAMIC_DISPATCH(RealFftMagnitudes)(frame, n, twiddles, bins, magnitudes);
}

void RealFftTwiddles(size_t n, float* twiddles) {
  const size_t h = n / 2;
  const unsigned bits = Log2(h);
  float* re = twiddles;
  float* im = twiddles + h;
  // w^k = e^(-2 pi i k / n) for k <= n/8 by a recurrence in double, restarted
  // from sin and cos every 64 steps (its error stays near 64 double epsilons,
  // far below a float's rounding). The other k < n/4 follow exactly by
  // symmetry: w^(n/4 - k) = -i conj(w^k). Each k < n/4 = h/2 has an even
  // position rev(k) and rev(k) + 1 = rev(k + h/2), where w^(k + n/4) = -i w^k.
  const double angle = -6.283185307179586476925286766559 / static_cast<double>(n);
  const double step_re = std::cos(angle), step_im = std::sin(angle);
  double wr = 1.0, wi = 0.0;
  const auto place = [&](size_t k, float r, float i) {
    const size_t q = BitReverse(k, bits);
    re[q] = r, im[q] = i;
    re[q + 1] = i, im[q + 1] = -r;
  };
  for (size_t k = 0; k <= n / 8; ++k) {
    if (k % 64 == 0) {
      wr = std::cos(angle * static_cast<double>(k));
      wi = std::sin(angle * static_cast<double>(k));
    }
    const float r = static_cast<float>(wr), i = static_cast<float>(wi);
    place(k, r, i);
    if (n / 4 - k > n / 8 && k > 0) place(n / 4 - k, -i, -r);
    const double next_re = wr * step_re - wi * step_im;
    wi = wr * step_im + wi * step_re;
    wr = next_re;
  }
}

}  // namespace tinyenc
#endif  // HWY_ONCE
