// Scalar reference for real_fft.h: a real n-point FFT as one n/2-point complex
// FFT of z_j = x_2j + i x_2j+1 (iterative, radix 2, decimation in time, on
// interleaved (re, im) pairs), then the split of Z into the spectra of the
// even and odd samples. The front end's kernel before it was vectorized.
#include <cmath>
#include <utility>
#include <vector>

#include "audio/real_fft.h"

namespace tinyenc {
namespace {

// In place; z holds h complex values (re, im); twiddles are n = 2h points',
// so the h-point FFT's k-th root is twiddle 2k.
void ComplexFft(float* z, size_t h, const float* twiddles) {
  for (size_t i = 1, j = 0; i < h; ++i) {  // bit-reversal permutation
    size_t bit = h >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) {
      std::swap(z[2 * i], z[2 * j]);
      std::swap(z[2 * i + 1], z[2 * j + 1]);
    }
  }
  for (size_t half = 1; half < h; half *= 2) {
    const size_t step = 2 * (h / (2 * half));  // twiddle index stride in the n-point table
    for (size_t start = 0; start < h; start += 2 * half) {
      for (size_t k = 0; k < half; ++k) {
        const float wr = twiddles[2 * (k * step)], wi = twiddles[2 * (k * step) + 1];
        float* a = z + 2 * (start + k);
        float* b = z + 2 * (start + k + half);
        const float tr = b[0] * wr - b[1] * wi;
        const float ti = b[0] * wi + b[1] * wr;
        b[0] = a[0] - tr;
        b[1] = a[1] - ti;
        a[0] += tr;
        a[1] += ti;
      }
    }
  }
}

}  // namespace

void RealFftMagnitudesRef(const float* x, size_t n, size_t bins, float* magnitudes) {
  const size_t h = n / 2;
  // e^(-2 pi i k / n) for k < h as (re, im), computed in double, rounded once.
  std::vector<float> twiddles(n);
  for (size_t k = 0; k < h; ++k) {
    const double angle = -6.283185307179586476925286766559 * static_cast<double>(k) / n;
    twiddles[2 * k] = static_cast<float>(std::cos(angle));
    twiddles[2 * k + 1] = static_cast<float>(std::sin(angle));
  }
  std::vector<float> frame(x, x + n);
  ComplexFft(frame.data(), h, twiddles.data());
  // X_0 = Re Z_0 + Im Z_0 and X_h = Re Z_0 - Im Z_0 are real.
  magnitudes[0] = std::fabs(frame[0] + frame[1]);
  if (bins > h) magnitudes[h] = std::fabs(frame[0] - frame[1]);
  const size_t last = bins < h ? bins : h;
  for (size_t k = 1; k < last; ++k) {
    // E_k = (Z_k + conj Z_(h-k)) / 2 and O_k = (Z_k - conj Z_(h-k)) / 2i are
    // the even and odd samples' h-point spectra; X_k = E_k + w^k O_k.
    const float zr = frame[2 * k], zi = frame[2 * k + 1];
    const float cr = frame[2 * (h - k)], ci = -frame[2 * (h - k) + 1];
    const float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);
    const float or_ = 0.5f * (zi - ci), oi = -0.5f * (zr - cr);
    const float wr = twiddles[2 * k], wi = twiddles[2 * k + 1];
    const float xr = er + (or_ * wr - oi * wi);
    const float xi = ei + (or_ * wi + oi * wr);
    magnitudes[k] = std::sqrt(xr * xr + xi * xi);
  }
}

}  // namespace tinyenc
