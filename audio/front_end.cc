#include "audio/front_end.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>

#include "audio/real_fft.h"
#include "simd/matmul.h"

namespace tinyenc {
namespace {

Status Bad(const char* what) {
  return Status::Error(StatusCode::kBadHyperParameter, "audio front end: %s", what);
}

Status Bad(const char* what, uint32_t value) {
  return Status::Error(StatusCode::kBadHyperParameter, "audio front end: %s (it is %" PRIu32 ")",
                       what, value);
}

bool AllFinite(const float* values, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) return false;
  }
  return true;
}

WeightMatrix F32Matrix(const float* data, size_t rows, size_t cols) {
  WeightMatrix matrix;
  matrix.data = data;
  matrix.type = WeightType::kF32;
  matrix.rows = rows;
  matrix.cols = cols;
  return matrix;
}

// Scratch layout, in floats: twiddles (N), one frame (N), the tile's
// magnitudes (tile x B) and mel energies (tile x M).
struct Scratch {
  float* twiddles;
  float* frame;
  float* magnitudes;
  float* energies;
};

Scratch Carve(const FrontEnd& f, void* memory) {
  float* at = static_cast<float*>(memory);
  Scratch s;
  s.twiddles = at;
  s.frame = s.twiddles + f.fft_length;
  s.magnitudes = s.frame + f.fft_length;
  s.energies = s.magnitudes + kFrontEndFrameTile * f.spectrum_bins;
  return s;
}

// One frame's windowed samples, sample(i) for i < W, into the FFT's slots
// (RealFftSlot: even samples, then odd), zero padded to N. A loop per half
// reads with stride 2 and writes in order, which compilers vectorize.
template <class Sample>
void WindowFrame(const FrontEnd& f, const Sample& sample, float* frame) {
  const size_t half = f.fft_length / 2;
  for (size_t parity = 0; parity < 2; ++parity) {
    float* slots = frame + parity * half;
    const size_t count = (f.window_length + 1 - parity) / 2;
    for (size_t j = 0; j < count; ++j) slots[j] = sample(2 * j + parity) * f.window[2 * j + parity];
    std::fill(slots + count, slots + half, 0.0f);
  }
}

}  // namespace

Status CheckFrontEnd(const FrontEnd& f) {
  const uint32_t n = f.fft_length;
  if (n < 4 || n > (1u << 16) || (n & (n - 1)) != 0) {
    return Bad("fft_length must be a power of two from 4 to 65536", n);
  }
  if (f.window_length == 0 || f.window_length > n) {
    return Bad("window_length must be 1 to fft_length", f.window_length);
  }
  if (f.window_stride == 0 || f.window_stride > f.window_length) {
    return Bad("window_stride must be 1 to window_length", f.window_stride);
  }
  if (f.frame_count == 0 || f.frame_count > 65535) {
    return Bad("frame_count must be 1 to 65535", f.frame_count);
  }
  if (f.spectrum_bins == 0 || f.spectrum_bins > n / 2 + 1) {
    return Bad("the mel matrix reads more bins than fft_length / 2 + 1", f.spectrum_bins);
  }
  if (f.mel_bins == 0 || f.feature_length == 0) return Bad("no mel bins or no features");
  if (!(f.log_epsilon > 0.0f) || !std::isfinite(f.log_epsilon)) {
    return Bad("log_epsilon must be finite and positive");
  }
  if (f.window == nullptr || f.mel == nullptr || f.dct == nullptr) {
    return Bad("the window, mel or DCT tensor is missing");
  }
  if (!AllFinite(f.window, f.window_length) ||
      !AllFinite(f.mel, static_cast<size_t>(f.mel_bins) * f.spectrum_bins) ||
      !AllFinite(f.dct, static_cast<size_t>(f.feature_length) * f.mel_bins)) {
    return Bad("the window, mel or DCT tensor holds a value that is not finite");
  }
  return Status::Ok();
}

size_t FrontEndScratchBytes(const FrontEnd& f) {
  // spectrum_bins and mel_bins are the mel tensor's shape, bounded by the
  // file's size; the plan checks the sum it adds this to.
  return sizeof(float) * (2 * static_cast<size_t>(f.fft_length) +
                          kFrontEndFrameTile * (static_cast<size_t>(f.spectrum_bins) + f.mel_bins));
}

Status ComputeFeatures(const FrontEnd& f, const Pcm& pcm, size_t first, size_t count,
                       float* features, void* scratch) {
  const Scratch s = Carve(f, scratch);
  RealFftTwiddles(f.fft_length, s.twiddles);
  const WeightMatrix mel = F32Matrix(f.mel, f.mel_bins, f.spectrum_bins);
  const WeightMatrix dct = F32Matrix(f.dct, f.feature_length, f.mel_bins);
  for (size_t tile = 0; tile < count; tile += kFrontEndFrameTile) {
    const size_t frames = std::min(kFrontEndFrameTile, count - tile);
    for (size_t t = 0; t < frames; ++t) {
      const size_t start = (first + tile + t) * f.window_stride;
      if (pcm.i16 != nullptr) {
        WindowFrame(f, [&](size_t i) { return pcm.i16[start + i] * Pcm::kI16Scale; }, s.frame);
      } else {
        WindowFrame(f, [&](size_t i) { return pcm.f32[start + i]; }, s.frame);
      }
      RealFftMagnitudes(s.frame, f.fft_length, s.twiddles, f.spectrum_bins,
                        s.magnitudes + t * f.spectrum_bins);
    }
    Status status = MatMul(s.magnitudes, frames, mel, nullptr, s.energies, nullptr, 0);
    if (!status.ok()) return status;
    for (size_t i = 0; i < frames * f.mel_bins; ++i) {
      s.energies[i] = std::log(std::max(s.energies[i], f.log_epsilon));
    }
    status = MatMul(s.energies, frames, dct, nullptr, features + tile * f.feature_length,
                    nullptr, 0);
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace tinyenc
