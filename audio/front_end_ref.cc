// Scalar reference for front_end.h, written for clarity: a direct DFT and
// every sum in double, rounded to float once at the end.
#include <algorithm>
#include <cmath>
#include <vector>

#include "audio/front_end.h"

namespace tinyenc {

void ComputeFeaturesRef(const FrontEnd& f, const Pcm& pcm, size_t first, size_t count,
                        float* features) {
  const double kTwoPi = 6.283185307179586476925286766559;
  std::vector<double> x(f.window_length), magnitude(f.spectrum_bins), energy(f.mel_bins);
  // cos and sin of 2 pi j / N: k * i mod N indexes them, so every angle is exact.
  std::vector<double> cos_table(f.fft_length), sin_table(f.fft_length);
  for (size_t j = 0; j < f.fft_length; ++j) {
    cos_table[j] = std::cos(kTwoPi * static_cast<double>(j) / f.fft_length);
    sin_table[j] = std::sin(kTwoPi * static_cast<double>(j) / f.fft_length);
  }
  for (size_t t = 0; t < count; ++t) {
    const size_t start = (first + t) * f.window_stride;
    for (size_t i = 0; i < f.window_length; ++i) {
      x[i] = static_cast<double>(pcm.at(start + i)) * f.window[i];
    }
    for (size_t k = 0; k < f.spectrum_bins; ++k) {
      double re = 0.0, im = 0.0;
      for (size_t i = 0; i < f.window_length; ++i) {
        re += x[i] * cos_table[(k * i) % f.fft_length];
        im -= x[i] * sin_table[(k * i) % f.fft_length];
      }
      magnitude[k] = std::sqrt(re * re + im * im);
    }
    for (size_t m = 0; m < f.mel_bins; ++m) {
      double sum = 0.0;
      for (size_t k = 0; k < f.spectrum_bins; ++k) {
        sum += static_cast<double>(f.mel[m * f.spectrum_bins + k]) * magnitude[k];
      }
      energy[m] = std::log(std::max(sum, static_cast<double>(f.log_epsilon)));
    }
    for (size_t c = 0; c < f.feature_length; ++c) {
      double sum = 0.0;
      for (size_t m = 0; m < f.mel_bins; ++m) {
        sum += static_cast<double>(f.dct[c * f.mel_bins + m]) * energy[m];
      }
      features[t * f.feature_length + c] = static_cast<float>(sum);
    }
  }
}

}  // namespace tinyenc
