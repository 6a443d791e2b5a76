// KWT-1 against TensorFlow Lite's own interpreter (kwt.golden): the logits of
// every clip in every weight type on every SIMD target, the front end's
// features against the graph's MFCC tensor, a stream's reused frames, and
// the refusals (audio keys at load, bad Listen calls). The bounds are the
// worst measured over every clip and the 6 x86 targets (the run prints them),
// with the headroom and the reason next to each.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/encoder_test_util.h"
#include "tests/models/kwt/kwt_test_util.h"
#include "tests/skip.h"
#include "tests/test_util.h"

namespace tinyenc {
namespace test {
namespace {

struct Bounds {
  double max_error;   // max |logit - TFLite's|
  double min_cosine;  // of the 12 logits
};

// F32: measured 4.2e-6 (the front end's float32 FFT and sums against the
// graph's DFT product; the logits are ~4); bound 2e-5, 4.8x, 50x under the
// issue's 1e-3.
// F16, Q8_0, I8: the weights' rounding, the same on every target; bounds
// about 2x the measured errors and the cosine bar of 0.999 (Q8_0
// measured 0.99964; I8 0.99932 with int16 X codes, 0.99926 on AVX3_DL,
// whose Q, V, attention-output and FFN inputs are coded in 8 bits).
// Q4_0: 4-bit weights move KWT-1's logits by up to 0.59 (cosine 0.962);
// only the top-1 agreement is the bar, the bounds catch breakage.
const std::map<std::string, Bounds>& TypeBounds() {
  static const std::map<std::string, Bounds> bounds = {
      {"f32", {2e-5, 0.9999999}},
      {"f16", {5e-3, 0.99999}},
      {"q8_0", {0.12, 0.999}},
      {"i8", {0.2, 0.999}},
      {"q4_0", {1.2, 0.95}},
  };
  return bounds;
}

size_t Top(const float* values, size_t count) {
  return static_cast<size_t>(std::max_element(values, values + count) - values);
}

void RequireModels() {
  const std::string absent = KwtModelsAbsent();
  if (!absent.empty()) SkipTest(absent);
}

TEST_CASE("KWT-1 logits match TFLite's on every clip, weight type and SIMD target") {
  RequireModels();
  const Golden& golden = KwtGolden();
  REQUIRE_MESSAGE(golden.error().empty(), golden.error());
  const std::vector<std::string> clips = KwtClips(QuickRun());
  std::map<std::string, std::vector<int16_t>> samples;
  for (const std::string& clip : clips) samples[clip] = ReadClip(clip);
  for (const auto& entry : TypeBounds()) {
    const std::string& type = entry.first;
    KwtModel loaded(type);
    KwtSession run(loaded.model);
    double worst_error = 0.0, least_cosine = 1.0;
    size_t top1 = 0, runs = 0;
    std::string by_target;  // each target's least cosine
    ForEachTarget([&](const char* target) {
      double target_least = 1.0;
      for (const std::string& clip : clips) {
        INFO(type, " ", target, " ", clip);
        const std::vector<float> want = golden.F32("kwt." + clip + ".logits");
        REQUIRE(run.session.Listen(samples[clip].data(), samples[clip].size()).ok());
        const float* got = run.session.Logits(0);
        REQUIRE(got != nullptr);
        worst_error = WorseError(worst_error, MaxAbsError(got, want.data(), want.size()));
        target_least = WorseCosine(target_least, Cosine(got, want.data(), want.size()));
        const bool same = Top(got, want.size()) == Top(want.data(), want.size());
        CHECK_MESSAGE(same, "top-1 differs from TFLite's");
        top1 += same ? 1 : 0;
        ++runs;
      }
      least_cosine = WorseCosine(least_cosine, target_least);
      char entry[48];
      std::snprintf(entry, sizeof(entry), " %s %.5f", target, target_least);
      by_target += entry;
    });
    std::printf("%-5s top-1 %zu/%zu, max |logit - TFLite| %.3g, min cosine %.7f (by target:%s)\n",
                type.c_str(), top1, runs, worst_error, least_cosine, by_target.c_str());
    CHECK(worst_error <= entry.second.max_error);
    CHECK(least_cosine >= entry.second.min_cosine);
  }
}

// The features of the F32 front end (the weight type does not enter it)
// against the graph's MFCC tensor, relative to max(1, |TFLite's|): the first
// coefficient, a sum of 80 logs, reaches -350 on digital silence. Measured
// over the seven golden clips and the 6 x86 targets: 7.6e-5, where quiet
// frames' tiny mel energies turn float32 rounding (ours an FFT, TFLite's a
// DFT product) into absolute error through the log; bound 1.5e-4, 2x.
constexpr double kFeatureBound = 1.5e-4;

TEST_CASE("the front end's features match the graph's MFCC tensor") {
  RequireModels();
  KwtModel loaded("f32");
  KwtSession run(loaded.model);
  const AudioConfig& audio = loaded.model.audio();
  const size_t values = audio.frame_count * loaded.model.config().feature_length;
  double worst = 0.0;
  size_t clips = 0;
  ForEachTarget([&](const char* target) {
    for (const std::string& clip : KwtClips(false)) {
      if (!KwtGolden().Has("kwt." + clip + ".features")) continue;
      INFO(target, " ", clip);
      const std::vector<float> want = KwtGolden().F32("kwt." + clip + ".features");
      REQUIRE(want.size() == values);
      const std::vector<int16_t> samples = ReadClip(clip);
      REQUIRE(run.session.Listen(samples.data(), samples.size()).ok());
      const float* got = run.session.Features();
      REQUIRE(got != nullptr);
      worst = WorseError(worst, MaxRelError(got, want.data(), values));
      ++clips;
    }
  });
  std::printf("features: max |feature - TFLite| / max(1, |TFLite|) %.3g over %zu clip runs\n",
              worst, clips);
  CHECK(clips > 0);
  CHECK(worst <= kFeatureBound);
}

TEST_CASE("a stream computes only the new frames and gets a fresh window's outputs exactly") {
  RequireModels();
  KwtModel loaded("q8_0");
  const AudioConfig& audio = loaded.model.audio();
  // Two clips end to end: windows every 1600 samples (10 frames) across them.
  std::vector<int16_t> recording = ReadClip("audio/yes_1000ms");
  const std::vector<int16_t> second = ReadClip("audio/no_1000ms");
  recording.insert(recording.end(), second.begin(), second.end());
  const size_t hop = 10 * audio.window_stride;
  const size_t width = loaded.model.config().feature_length;
  KwtSession stream(loaded.model), fresh(loaded.model);
  for (size_t start = 0; start + audio.clip_samples <= recording.size(); start += hop) {
    INFO("window at sample ", start);
    REQUIRE(stream.session.Listen(recording.data() + start, audio.clip_samples,
                                  start == 0 ? 0 : hop).ok());
    REQUIRE(fresh.session.Listen(recording.data() + start, audio.clip_samples).ok());
    CHECK(std::memcmp(stream.session.Features(), fresh.session.Features(),
                      audio.frame_count * width * sizeof(float)) == 0);
    CHECK(std::memcmp(stream.session.Logits(0), fresh.session.Logits(0),
                      audio.label_count * sizeof(float)) == 0);
  }
}

// The M4 firmware's plan: KWT-1's layers in 4-row tiles. Every recorded clip
// on every target gives the whole plan's features and logits bit for bit, in
// under 60% of the arena (F32 98,623 bytes of 169,535; I8 99,199 of 219,135).
TEST_CASE("4-row tiles give the whole plan's logits bit for bit in under 60% of the arena") {
  RequireModels();
  for (const char* type : {"f32", "i8"}) {
    KwtModel loaded(type);
    const AudioConfig& audio = loaded.model.audio();
    KwtSession whole(loaded.model), tiled(loaded.model, 4);
    CHECK(10 * tiled.session.arena_used() < 6 * whole.session.arena_used());
    ForEachTarget([&](const char* target) {
      for (const std::string& clip : KwtClips(true)) {
        if (clip.rfind("audio/", 0) != 0) continue;
        INFO(type, " ", target, " ", clip);
        const std::vector<int16_t> samples = ReadClip(clip);
        REQUIRE(whole.session.Listen(samples.data(), samples.size()).ok());
        REQUIRE(tiled.session.Listen(samples.data(), samples.size()).ok());
        CHECK(std::memcmp(tiled.session.Features(), whole.session.Features(),
                          audio.frame_count * loaded.model.config().feature_length *
                              sizeof(float)) == 0);
        CHECK(std::memcmp(tiled.session.Logits(0), whole.session.Logits(0),
                          audio.label_count * sizeof(float)) == 0);
      }
    });
  }
}

TEST_CASE("bad Listen calls fail before touching the arena") {
  RequireModels();
  KwtModel loaded("f32");
  const AudioConfig& audio = loaded.model.audio();
  KwtSession run(loaded.model);
  std::vector<float> samples(audio.clip_samples, 0.0f);
  CHECK(run.session.Listen(samples.data(), samples.size() - 1).code() ==
        StatusCode::kInvalidArgument);
  CHECK(run.session.Listen(static_cast<const float*>(nullptr), samples.size()).code() ==
        StatusCode::kInvalidArgument);
  CHECK(run.session.Listen(samples.data(), samples.size(), audio.window_stride / 2).code() ==
        StatusCode::kInvalidArgument);
  samples[1234] = NAN;
  const Status nan = run.session.Listen(samples.data(), samples.size());
  CHECK(nan.code() == StatusCode::kInvalidArgument);
  CHECK(std::string(nan.message()).find("1234") != std::string::npos);
  CHECK(run.session.Features() == nullptr);  // nothing listened to yet

  // A session planned for fewer rows than a window needs.
  size_t bytes = 0;
  REQUIRE(ArenaBytes(loaded.model, 8, 1, &bytes).ok());
  std::vector<uint8_t> arena(bytes);
  Session small;
  REQUIRE(small.Init(loaded.model, arena.data(), bytes, 8, 1).ok());
  samples[1234] = 0.0f;
  CHECK(small.Listen(samples.data(), samples.size()).code() == StatusCode::kBadSequenceLength);
}

// The model bytes with the first occurrence of `from` replaced by `to`
// (same length): a key or tensor renamed, or a value changed.
std::vector<uint8_t> Patched(const KwtModel& loaded, const std::string& from,
                             const std::string& to) {
  REQUIRE(from.size() == to.size());
  const auto* bytes = static_cast<const uint8_t*>(loaded.file.data());
  std::vector<uint8_t> copy(bytes, bytes + loaded.file.size());
  const std::vector<uint8_t> pattern(from.begin(), from.end());  // bytes, not signed chars
  const auto at = std::search(copy.begin(), copy.end(), pattern.begin(), pattern.end());
  REQUIRE(at != copy.end());
  std::copy(to.begin(), to.end(), at);
  return copy;
}

std::string U32Value(const std::string& key, uint32_t value) {
  std::string bytes = key;
  const uint32_t type = 4;  // u32
  bytes.append(reinterpret_cast<const char*>(&type), 4);
  bytes.append(reinterpret_cast<const char*>(&value), 4);
  return bytes;
}

TEST_CASE("missing or inconsistent audio keys are refused at load, naming them") {
  RequireModels();
  KwtModel loaded("f32");
  const AudioConfig& audio = loaded.model.audio();
  CHECK(audio.sample_rate == 16000);
  CHECK(audio.clip_samples == 16000);
  const struct {
    std::string from, to, message;
  } cases[] = {
      {"tinyenc.audio.fft_length", "tinyenc.audio.fft_lengtx", "tinyenc.audio.fft_length"},
      {"tinyenc.audio.mel", "tinyenc.audio.meX", "tinyenc.audio.mel"},
      {U32Value("tinyenc.audio.fft_length", 512), U32Value("tinyenc.audio.fft_length", 500),
       "fft_length"},
      {U32Value("tinyenc.audio.fft_length", 512), U32Value("tinyenc.audio.fft_length", 256),
       "window_length"},
      {U32Value("tinyenc.audio.frame_count", 98), U32Value("tinyenc.audio.frame_count", 97),
       "frame_count"},
      {U32Value("tinyenc.audio.window_stride", 160),
       U32Value("tinyenc.audio.window_stride", 0), "window_stride"},
      {U32Value("tinyenc.audio.sample_rate", 16000), U32Value("tinyenc.audio.sample_rate", 0),
       "sample_rate"},
  };
  for (const auto& c : cases) {
    INFO(c.message);
    const std::vector<uint8_t> bytes = Patched(loaded, c.from, c.to);
    Model model;
    const Status status = model.Load(bytes.data(), bytes.size());
    CHECK(!status.ok());
    CHECK_MESSAGE(std::string(status.message()).find(c.message) != std::string::npos,
                  status.message());
    CHECK(model.audio().sample_rate == 0);
  }
  const char* name = nullptr;
  size_t size = 0;
  REQUIRE(loaded.model.Label(2, &name, &size));
  CHECK(std::string(name, size) == "yes");
  CHECK(!loaded.model.Label(audio.label_count, &name, &size));
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
