// Times the audio front end, one thread: the spectrum of a window's frames
// by the real FFT and by the DFT as two matrix products (what KWT's graph
// does, through the same F32 MatMul kernel), the whole front end, and with a
// model, one Listen (front end and encoder).
// Usage: bench_audio [MODEL.gguf...]   (a keyword model, e.g. KWT-1's)
#include <cmath>
#include <cstdio>
#include <vector>

#include "audio/front_end.h"
#include "audio/real_fft.h"
#include "simd/matmul.h"
#include "tinyenc/mapped_file.h"
#include "tinyenc/session.h"
#include "tools/bench_util.h"

namespace tinyenc {
namespace {

// KWT-1's front end: 98 frames of 480 samples, 160 apart, a 512-point DFT of
// which the mel matrix reads 244 bins.
constexpr size_t kFrames = 98, kWindow = 480, kStride = 160, kFft = 512, kBins = 244;
constexpr int kSamples = 15;

std::vector<float> Noise(size_t count) {
  std::vector<float> values(count);
  uint32_t state = 12345;
  for (float& v : values) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
  }
  return values;
}

WeightMatrix F32Matrix(const std::vector<float>& data, size_t rows, size_t cols) {
  WeightMatrix m;
  m.data = data.data();
  m.rows = rows;
  m.cols = cols;
  return m;
}

void BenchSpectrum() {
  const std::vector<float> frames = Noise(kFrames * kWindow);  // windowed frames
  std::vector<float> magnitudes(kFrames * kBins);
  std::vector<float> twiddles(kFft), frame(kFft);
  const double fft = MedianSeconds([&] {
    RealFftTwiddles(kFft, twiddles.data());
    for (size_t t = 0; t < kFrames; ++t) {
      // Into the FFT's slots (RealFftSlot), as the front end's framing does.
      for (size_t parity = 0; parity < 2; ++parity) {
        float* slots = frame.data() + parity * (kFft / 2);
        for (size_t j = 0; j < kWindow / 2; ++j) slots[j] = frames[t * kWindow + 2 * j + parity];
        std::fill(slots + kWindow / 2, slots + kFft / 2, 0.0f);
      }
      RealFftMagnitudes(frame.data(), kFft, twiddles.data(), kBins,
                        magnitudes.data() + t * kBins);
    }
  }, kSamples);
  std::vector<float> cos(kBins * kWindow), sin(kBins * kWindow);
  for (size_t k = 0; k < kBins; ++k) {
    for (size_t n = 0; n < kWindow; ++n) {
      const double angle = 6.283185307179586 * static_cast<double>((k * n) % kFft) / kFft;
      cos[k * kWindow + n] = static_cast<float>(std::cos(angle));
      sin[k * kWindow + n] = static_cast<float>(-std::sin(angle));
    }
  }
  std::vector<float> re(kFrames * kBins), im(kFrames * kBins);
  const double dft = MedianSeconds([&] {
    MatMul(frames.data(), kFrames, F32Matrix(cos, kBins, kWindow), nullptr, re.data(), nullptr, 0);
    MatMul(frames.data(), kFrames, F32Matrix(sin, kBins, kWindow), nullptr, im.data(), nullptr, 0);
    for (size_t i = 0; i < re.size(); ++i) magnitudes[i] = std::sqrt(re[i] * re[i] + im[i] * im[i]);
  }, kSamples);
  std::printf("spectrum of %zu frames, %zu-point DFT, %zu bins: real FFT %.1f us, DFT as matrix "
              "products %.1f us (%.1fx)\n",
              kFrames, kFft, kBins, fft * 1e6, dft * 1e6, dft / fft);
}

void BenchFrontEnd() {
  FrontEnd f;
  f.window_length = kWindow;
  f.window_stride = kStride;
  f.fft_length = kFft;
  f.frame_count = kFrames;
  f.spectrum_bins = kBins;
  f.mel_bins = 80;
  f.feature_length = 40;
  f.log_epsilon = 1e-12f;
  const std::vector<float> window = Noise(kWindow), mel = Noise(80 * kBins), dct = Noise(40 * 80);
  f.window = window.data();
  f.mel = mel.data();
  f.dct = dct.data();
  const std::vector<float> samples = Noise(f.clip_samples());
  std::vector<float> features(kFrames * 40), scratch(FrontEndScratchBytes(f) / sizeof(float));
  Pcm pcm;
  pcm.f32 = samples.data();
  const double all = MedianSeconds([&] {
    ComputeFeatures(f, pcm, 0, kFrames, features.data(), scratch.data());
  }, kSamples);
  const double hop = MedianSeconds([&] {
    ComputeFeatures(f, pcm, kFrames - 10, 10, features.data(), scratch.data());
  }, kSamples);
  std::printf("front end (KWT-1's shapes): %zu frames %.1f us, a stream's 10 new frames %.1f us; "
              "scratch %zu bytes\n",
              kFrames, all * 1e6, hop * 1e6, FrontEndScratchBytes(f));
}

int BenchModel(const char* path) {
  MappedFile file;
  Model model;
  Status status = file.Open(path);
  if (status.ok()) status = model.Load(file.data(), file.size());
  if (!status.ok() || model.audio().sample_rate == 0) {
    std::fprintf(stderr, "bench_audio: %s: %s\n", path,
                 status.ok() ? "not a keyword model" : status.message());
    return 1;
  }
  const size_t rows = model.config().context_length;
  size_t bytes = 0;
  ArenaBytes(model, rows, 1, &bytes);
  std::vector<uint8_t> arena(bytes);
  Session session;
  session.Init(model, arena.data(), bytes, rows, 1);
  std::vector<int16_t> samples(model.audio().clip_samples);
  const std::vector<float> noise = Noise(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<int16_t>(noise[i] * 20000);
  const size_t hop = 10 * model.audio().window_stride;
  const double window = MedianSeconds([&] { session.Listen(samples.data(), samples.size()); },
                                      kSamples);
  const double stream = MedianSeconds([&] {
    session.Listen(samples.data(), samples.size(), hop);
  }, kSamples);
  std::printf("%s: one window %.3f ms (front end + encoder, 1 thread), a stream's step %.3f ms; "
              "arena %zu bytes\n",
              path, window * 1e3, stream * 1e3, bytes);
  return 0;
}

}  // namespace
}  // namespace tinyenc

int main(int argc, char** argv) {
  tinyenc::BenchSpectrum();
  tinyenc::BenchFrontEnd();
  int failures = 0;
  for (int i = 1; i < argc; ++i) failures += tinyenc::BenchModel(argv[i]);
  return failures == 0 ? 0 : 1;
}
