// The encoder against PyTorch (float64) on every golden case, converted to
// every weight type, on every SIMD target. Every output must be finite, and a
// NaN anywhere fails every bound (see Compare). The bounds are set from the
// worst error measured over all 7 cases and 6 x86 targets (AVX3_DL ... SCALAR,
// the run prints it as "worst over every case and target"), with the headroom
// and the reason next to each in the constants below.
#include <algorithm>
#include <cmath>
#include <map>
#include <cstdio>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/encoder_test_util.h"
#include "tests/test_util.h"

namespace tinyenc {
namespace test {
namespace {

struct Bounds {
  double max_error;       // max |got - ref| / max(1, |ref|), every output
  double token_cosine;    // per hidden row; 0 = not bounded
  double pooled_cosine;   // per embedding and logits vector
};

// F32: measured 1.19e-6 (small_var, SCALAR; 6e-7 on the other cases); bound
// 4e-6, 3.4x. What it must catch, measured by breaking the code once each:
// the tanh GELU for Hugging Face's exact "gelu" (moves small_var by 5.7e-4,
// the other erf case by 2e-5), a layer-norm epsilon read as 1e-12 instead of
// small_var's 1e-5 (4.9e-2), a missing 1/sqrt(head width) (> 1e-1). The old
// 1e-4 let the tanh GELU through on every case but small_var.
constexpr Bounds kF32Bounds = {4e-6, 0.0, 0.0};
// F16 weights: measured max error 1.09e-3 (small_var, the F32 checkpoint
// whose F16 conversion really rounds), 1 - cosine 7.8e-8 per row. The error
// is the weights' rounding, the same on every target (the arithmetic is
// float32, ~1e-6), so the bounds sit close: 2e-3 (1.8x) and 1 - cosine 2e-7
// (2.6x). Converting by truncation instead of rounding measured 2.78e-3 and
// 3.4e-7: it fails both (tools/mutation-check.sh).
constexpr Bounds kF16Bounds = {2e-3, 0.9999998, 0.9999998};
// Q8_0: measured max error 0.042 (tiny's logits), 1 - cosine 1.2e-4 per row
// (small_var) and 7.4e-5 per pooled vector (tiny's logits); bounds 0.1
// (2.4x), 5e-4 (4x, as before) and 1e-4 (as before, 1.35x: never loosened).
constexpr Bounds kQ8Bounds = {0.1, 0.9995, 0.9999};
// Q4_0: measured max error 0.455 (small_var), 1 - cosine 1.05e-2 per row and
// 9.0e-3 per pooled vector; bounds 1.0 (2.2x), 3e-2 per row (new, 2.9x) and
// 1e-2 pooled (as before). A NaN block scale makes outputs non-finite.
constexpr Bounds kQ4Bounds = {1.0, 0.97, 0.99};
// I8 (per-row int8 weights, int16 activations): measured max error 0.032,
// min cosine 0.99992; with AVX3_DL's 8-bit inputs to the FFN and attention
// output (docs/KERNELS.md) 0.0575 and 0.99983 (small_var). Bounds 0.08
// (1.4x; Q8_0's) and the integer issue's bars, 1 - cosine 5e-4 per row and
// 1e-4 per pooled vector.
constexpr Bounds kI8Bounds = {0.08, 0.9995, 0.9999};

struct Agreement {
  double max_error = 0.0;  // max |got - ref| / max(1, |ref|); NaN counts as infinite
  double min_cosine = 1.0;  // NaN counts as -infinity
  size_t non_finite = 0;   // outputs that are NaN or infinite
};

// Compares `count` vectors of `width`: got(i) against ref[i * width...].
// Written so that a NaN anywhere makes the result fail every bound:
// std::min/std::max keep the old value when handed a NaN.
template <class Got>
Agreement Compare(const Got& got, const std::vector<float>& ref, size_t count, size_t width) {
  Agreement agreement;
  REQUIRE(ref.size() == count * width);
  for (size_t i = 0; i < count; ++i) {
    const float* row = got(i);
    REQUIRE(row != nullptr);
    const float* want = ref.data() + i * width;
    agreement.min_cosine = WorseCosine(agreement.min_cosine, Cosine(row, want, width));
    for (size_t c = 0; c < width; ++c) {
      if (!std::isfinite(row[c])) ++agreement.non_finite;
      const double diff = std::fabs(static_cast<double>(row[c]) - want[c]);
      agreement.max_error = WorseError(
          agreement.max_error, diff / std::max(1.0, std::fabs(static_cast<double>(want[c]))));
    }
  }
  return agreement;
}


// The worst each type reached over every case and SIMD target this run, so
// the bounds below can be kept next to what they bound.
struct Worst {
  double max_error = 0.0;
  double min_cosine = 1.0;
};
std::map<std::string, Worst>& WorstByType() {
  static std::map<std::string, Worst> worst;
  return worst;
}

Bounds BoundsFor(const std::string& type) {
  if (type == "f32") return kF32Bounds;
  if (type == "f16") return kF16Bounds;
  if (type == "q8_0") return kQ8Bounds;
  if (type == "i8") return kI8Bounds;
  return kQ4Bounds;
}

void Check(const std::string& what, const std::string& type, const Agreement& agreement,
           const Bounds& bounds, double cosine_bound) {
  char line[200];
  std::snprintf(line, sizeof(line), "%-36s max rel error %.3g (bound %.3g), min cosine %.9f",
                what.c_str(), agreement.max_error, bounds.max_error, agreement.min_cosine);
  MESSAGE(std::string(line));
  CHECK_MESSAGE(agreement.non_finite == 0, line, ": ", agreement.non_finite, " non-finite outputs");
  CHECK_MESSAGE(agreement.max_error <= bounds.max_error, line);
  CHECK_MESSAGE(agreement.min_cosine >= cosine_bound, line);
  Worst& worst = WorstByType()[type];
  worst.max_error = WorseError(worst.max_error, agreement.max_error);
  worst.min_cosine = WorseCosine(worst.min_cosine, agreement.min_cosine);
}

// The issue-10 defect: std::min(min, NaN) kept the old minimum, so a model
// whose outputs were NaN reported "min cosine 1.000000000" and passed.
TEST_CASE("Compare fails every bound on a NaN or an infinity") {
  const std::vector<float> ref = {1.0f, 2.0f, 3.0f, 4.0f};
  for (const float bad : {NAN, HUGE_VALF}) {
    std::vector<float> got = ref;
    got[2] = bad;
    const Agreement agreement = Compare([&](size_t i) { return got.data() + 2 * i; }, ref, 2, 2);
    CHECK(agreement.non_finite == 1);
    CHECK(!(agreement.max_error <= 1e300));
    CHECK(!(agreement.min_cosine >= -1.0));
  }
  // test_util's metrics: a NaN followed by a finite error stays the worst.
  const float got[2] = {NAN, 1.0f}, zero[2] = {0.0f, 0.0f};
  CHECK(!(MaxAbsError(got, zero, 2) <= 1e300));
  CHECK(!(MaxRelError(got, zero, 2) <= 1e300));
  const Agreement same = Compare([&](size_t i) { return ref.data() + 2 * i; }, ref, 2, 2);
  CHECK(same.non_finite == 0);
  CHECK(same.max_error == 0.0);
  CHECK(same.min_cosine > 0.999999);
}

TEST_CASE("encoder matches PyTorch on every golden case, weight type and SIMD target") {
  const Golden& golden = EncoderGolden();
  REQUIRE_MESSAGE(golden.error().empty(), golden.error());
  const std::vector<std::string> cases = EncoderCases();
  REQUIRE(cases.size() >= 9);
  ForEachTarget([&](const char* target) {
    ForEachGoldenModel(cases, [&](const std::string& test_case, const std::string& type,
                                  const GoldenModel& loaded, const GoldenBatch& batch) {
      const std::string name = std::string(target) + " " + test_case + "-" + type;
      const EncoderConfig& config = loaded.model.config();
      const std::string prefix = "enc." + test_case + ".";
      REQUIRE(static_cast<int64_t>(config.pooling) ==
              golden.Ints<int64_t>(prefix + "pooling").at(0));
      SizedSession sized(loaded.model, batch.max_rows, batch.inputs.size());
      Session& session = sized.session;
      Status status = session.Encode(batch.inputs.data(), batch.inputs.size());
      REQUIRE_MESSAGE(status.ok(), status.message());

      const size_t width = config.hidden_width();
      const size_t sequences = batch.inputs.size();
      const Bounds bounds = BoundsFor(type);
      // Hidden states, row by row across the packed batch.
      const float* hidden = session.Hidden(0);
      size_t total_rows = 0;
      for (size_t b = 0; b < sequences; ++b) {
        REQUIRE(session.Rows(b) == static_cast<size_t>(batch.lengths[b]));
        total_rows += session.Rows(b);
      }
      Check(name + " hidden", type,
            Compare([&](size_t r) { return hidden + r * width; }, golden.F32(prefix + "hidden"),
                    total_rows, width),
            bounds, bounds.token_cosine);
      Check(name + " embedding", type,
            Compare([&](size_t b) { return session.Embedding(b); },
                    golden.F32(prefix + "embedding"), sequences, width),
            bounds, bounds.pooled_cosine);
      if (config.label_count != 0 && config.classifier_input == ClassifierInput::kTokens) {
        // One row of logits per token, found through each sequence's Logits.
        std::vector<const float*> rows;
        for (size_t b = 0; b < sequences; ++b) {
          REQUIRE(session.Logits(b) != nullptr);
          for (size_t r = 0; r < session.Rows(b); ++r) {
            rows.push_back(session.Logits(b) + r * config.label_count);
          }
        }
        Check(name + " token logits", type,
              Compare([&](size_t r) { return rows[r]; }, golden.F32(prefix + "logits"),
                      total_rows, config.label_count),
              bounds, bounds.token_cosine);
      } else if (config.label_count != 0) {
        Check(name + " logits", type,
              Compare([&](size_t b) { return session.Logits(b); }, golden.F32(prefix + "logits"),
                      sequences, config.label_count),
              bounds, bounds.pooled_cosine);
      }
      // Both poolings, where no pooler transforms them.
      if (!config.pooler) {
        session.set_normalize(false);
        for (const Pooling pooling : {Pooling::kMean, Pooling::kCls}) {
          session.set_pooling(pooling);
          status = session.Encode(batch.inputs.data(), batch.inputs.size());
          REQUIRE_MESSAGE(status.ok(), status.message());
          Check(name + " " + PoolingName(pooling), type,
                Compare([&](size_t b) { return session.Embedding(b); },
                        golden.F32(prefix + PoolingName(pooling)), sequences, width),
                bounds, bounds.pooled_cosine);
        }
      }
    });
  });
  for (const auto& entry : WorstByType()) {
    char line[120];
    std::snprintf(line, sizeof(line), "worst over every case and target: %-5s max rel error %.3g, "
                  "min cosine %.9f", entry.first.c_str(), entry.second.max_error,
                  entry.second.min_cosine);
    MESSAGE(std::string(line));
  }
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
