// The audio front end's kernel (real FFT, MatMul's products) against its
// scalar references (a direct DFT, sums in double; the scalar FFT), on every
// SIMD target: the FFT alone over power-of-two lengths, a small random front end whose
// frames overlap and end past the tile, and KWT-1's real tensors on its clips
// when ../shared is here. (tests/models/kwt holds the comparison with TFLite.)
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "audio/front_end.h"
#include "audio/real_fft.h"
#include "doctest/doctest.h"
#include "models/audio_model.h"
#include "models/encoder.h"
#include "runtime/core/gguf.h"
#include "tests/models/kwt/kwt_test_util.h"
#include "tests/skip.h"
#include "tests/test_util.h"
#include "tinyenc/mapped_file.h"

namespace tinyenc {
namespace test {
namespace {

// The spectrum of a frame in natural order by a direct DFT, sums in double.
std::vector<double> DirectDftMagnitudes(const std::vector<float>& frame) {
  const size_t n = frame.size();
  std::vector<double> cos_table(n), sin_table(n);  // of 2 pi j / n, indexed by j k mod n
  for (size_t j = 0; j < n; ++j) {
    cos_table[j] = std::cos(6.283185307179586 * static_cast<double>(j) / n);
    sin_table[j] = std::sin(6.283185307179586 * static_cast<double>(j) / n);
  }
  std::vector<double> magnitudes(n / 2 + 1);
  for (size_t k = 0; k <= n / 2; ++k) {
    double re = 0.0, im = 0.0;
    for (size_t j = 0; j < n; ++j) {
      re += frame[j] * cos_table[(j * k) % n];
      im -= frame[j] * sin_table[(j * k) % n];
    }
    magnitudes[k] = std::hypot(re, im);
  }
  return magnitudes;
}

// Errors relative to sum |x|, which bounds every |X_k|: float32 rounding,
// growing with the log2(n) levels. Measured over n = 4 to 4096 on the 6 x86
// targets: the kernel 3.75e-8 from the direct DFT and 3.11e-8 from the scalar
// reference, the reference 3.75e-8 from the DFT; bounds 2x, for other
// targets' rounding (FMA or not, another order of sums).
constexpr double kFftBound = 7.5e-8;
constexpr double kFftVsReferenceBound = 6.5e-8;

TEST_CASE("real FFT magnitudes match the scalar reference and a direct DFT on every target") {
  double kernel_vs_dft = 0.0, kernel_vs_reference = 0.0, reference_vs_dft = 0.0;
  for (size_t n = 4; n <= 4096; n *= 2) {
    INFO("n = ", n);
    const std::vector<float> frame = RandomFloats(n, static_cast<uint32_t>(n));
    double scale = 0.0;
    for (float v : frame) scale += std::fabs(v);
    const std::vector<double> dft = DirectDftMagnitudes(frame);
    std::vector<float> reference(n / 2 + 1);
    RealFftMagnitudesRef(frame.data(), n, n / 2 + 1, reference.data());
    for (size_t k = 0; k <= n / 2; ++k) {
      reference_vs_dft = WorseError(reference_vs_dft, std::fabs(reference[k] - dft[k]) / scale);
    }
    std::vector<float> twiddles(n), slots(n);
    RealFftTwiddles(n, twiddles.data());
    for (size_t i = 0; i < n; ++i) slots[RealFftSlot(i, n)] = frame[i];
    ForEachTarget([&](const char*) {
      // Every bin count that ends a vector early, on one, or in the tail.
      for (size_t bins : {size_t{1}, size_t{3}, n / 2 - 1, n / 2, n / 2 + 1}) {
        INFO("bins = ", bins);
        std::vector<float> work = slots, magnitudes(n / 2 + 2, NAN);
        RealFftMagnitudes(work.data(), n, twiddles.data(), bins, magnitudes.data());
        double vs_dft = 0.0, vs_reference = 0.0;
        for (size_t k = 0; k < bins; ++k) {
          vs_dft = WorseError(vs_dft, std::fabs(magnitudes[k] - dft[k]) / scale);
          vs_reference = WorseError(vs_reference, std::fabs(magnitudes[k] - reference[k]) / scale);
        }
        CHECK(vs_dft <= kFftBound);
        CHECK(vs_reference <= kFftVsReferenceBound);
        kernel_vs_dft = WorseError(kernel_vs_dft, vs_dft);
        kernel_vs_reference = WorseError(kernel_vs_reference, vs_reference);
        for (size_t k = bins; k < magnitudes.size(); ++k) CHECK(std::isnan(magnitudes[k]));
      }
    });
  }
  std::printf("FFT: max / sum |x|: |kernel - DFT| %.3g, |kernel - reference| %.3g, "
              "|reference - DFT| %.3g\n", kernel_vs_dft, kernel_vs_reference, reference_vs_dft);
  CHECK(reference_vs_dft <= kFftBound);
}

// Kernel against reference, relative to max(1, |reference|), over the 6 x86
// targets. The random front end: measured 3.0e-7; bound 1.5e-6, 5x.
// KWT-1: measured 6.7e-5 (the yes clip; noise 1.4e-6; 5.6e-5 with the
// scalar FFT): in its quiet frames the mel energies are tiny, and the log
// turns the FFT's float32 error relative to them into absolute error
// (TFLite's float32 DFT product is 9.2e-5 from ours there); bound 1.5e-4,
// 2.2x.
constexpr double kRandomBound = 1.5e-6;
constexpr double kKwtBound = 1.5e-4;

double CompareFrontEnd(const FrontEnd& front_end, const Pcm& pcm, const char* what) {
  std::vector<float> got(front_end.frame_count * front_end.feature_length);
  std::vector<float> want(got.size());
  std::vector<float> scratch(FrontEndScratchBytes(front_end) / sizeof(float));
  ComputeFeaturesRef(front_end, pcm, 0, front_end.frame_count, want.data());
  double worst = 0.0;
  ForEachTarget([&](const char* target) {
    INFO(what, " on ", target);
    // The last frames alone, as a stream computes them, then all of them.
    const size_t tail = front_end.frame_count / 3;
    const size_t first = front_end.frame_count - tail;
    REQUIRE(ComputeFeatures(front_end, pcm, first, tail, got.data(), scratch.data()).ok());
    worst = WorseError(worst, MaxRelError(got.data(), want.data() + first * front_end.feature_length,
                                          tail * front_end.feature_length));
    REQUIRE(ComputeFeatures(front_end, pcm, 0, front_end.frame_count, got.data(),
                            scratch.data()).ok());
    worst = WorseError(worst, MaxRelError(got.data(), want.data(), got.size()));
  });
  std::printf("%s: max rel |kernel - reference| %.3g\n", what, worst);
  return worst;
}

TEST_CASE("a random front end: kernel matches reference") {
  FrontEnd f;
  f.window_length = 12;
  f.window_stride = 5;  // frames overlap
  f.fft_length = 16;
  f.frame_count = 19;   // two tiles and a part
  f.spectrum_bins = 9;  // every bin of a 16-point real DFT
  f.mel_bins = 6;
  f.feature_length = 4;
  f.log_epsilon = 1e-6f;
  const std::vector<float> window = RandomFloats(f.window_length, 1, 0.0f, 1.0f);
  const std::vector<float> mel = RandomFloats(f.mel_bins * f.spectrum_bins, 2, 0.0f, 1.0f);
  const std::vector<float> dct = RandomFloats(f.feature_length * f.mel_bins, 3);
  f.window = window.data();
  f.mel = mel.data();
  f.dct = dct.data();
  REQUIRE(CheckFrontEnd(f).ok());
  const std::vector<float> samples = RandomFloats(f.clip_samples(), 4);
  Pcm pcm;
  pcm.f32 = samples.data();
  CHECK(CompareFrontEnd(f, pcm, "random front end") <= kRandomBound);

  FrontEnd bad = f;
  bad.fft_length = 24;
  CHECK(CheckFrontEnd(bad).code() == StatusCode::kBadHyperParameter);
  bad = f;
  bad.spectrum_bins = 10;
  CHECK(CheckFrontEnd(bad).code() == StatusCode::kBadHyperParameter);
  std::vector<float> nan_mel = mel;
  nan_mel[7] = NAN;
  bad = f;
  bad.mel = nan_mel.data();
  CHECK(CheckFrontEnd(bad).code() == StatusCode::kBadHyperParameter);
}

TEST_CASE("KWT-1's front end: kernel matches reference on its clips") {
  const std::string absent = KwtModelsAbsent();
  if (!absent.empty()) {
    SkipCase(absent);
    return;
  }
  const std::string path = std::string(std::getenv("TINYENC_KWT_MODELS")) + "/kwt-f32.gguf";
  MappedFile file;
  REQUIRE(file.Open(path.c_str()).ok());
  GgufFile gguf;
  REQUIRE(gguf.Parse(file.data(), file.size()).ok());
  EncoderModel model;
  REQUIRE(LoadEncoder(gguf, &model).ok());
  for (const char* clip : {"audio/yes_1000ms", "clips/whitenoise", "clips/zeros"}) {
    const std::vector<int16_t> samples = ReadClip(clip);
    Pcm pcm;
    pcm.i16 = samples.data();
    CHECK(CompareFrontEnd(model.audio.front_end, pcm, clip) <= kKwtBound);
  }
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
