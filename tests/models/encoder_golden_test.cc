// The encoder against PyTorch (float64) on every golden case, converted to
// every weight type. Bounds, from the encoder issue:
//  - F32: |got - ref| <= 1e-4 * max(1, |ref|) for every hidden state, pooled
//    embedding and logit. float32 accumulation over K <= 512 terms of
//    O(1) values, through a few layers, errs ~1e-6 relative; 1e-4 leaves room
//    for LayerNorm amplifying a small-variance row, and still fails on any
//    wrong operation (a missing bias moves values by ~0.1).
//  - F16 weights: cosine >= 0.99999 per token (half rounding is 2^-11
//    relative per weight, averaging out over a dot product).
//  - Q8_0: cosine >= 0.9995 per token and >= 0.9999 per pooled embedding.
//  - Q4_0: cosine >= 0.99 per pooled embedding.
//  - I8 (per-row int8 weights, int16 activations): the integer issue's bars,
//    cosine >= 0.9995 per token and >= 0.9999 per pooled embedding.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/encoder_test_util.h"
#include "tests/test_util.h"

namespace tinyenc {
namespace test {
namespace {

struct Agreement {
  double max_error = 0.0;  // max |got - ref| / max(1, |ref|)
  double min_cosine = 1.0;
};

// Compares `count` vectors of `width`: got(i) against ref[i * width...].
template <class Got>
Agreement Compare(const Got& got, const std::vector<float>& ref, size_t count, size_t width) {
  Agreement agreement;
  REQUIRE(ref.size() == count * width);
  for (size_t i = 0; i < count; ++i) {
    const float* row = got(i);
    REQUIRE(row != nullptr);
    const float* want = ref.data() + i * width;
    agreement.min_cosine = std::min(agreement.min_cosine, Cosine(row, want, width));
    for (size_t c = 0; c < width; ++c) {
      const double diff = std::fabs(static_cast<double>(row[c]) - want[c]);
      double error = diff / std::max(1.0, std::fabs(static_cast<double>(want[c])));
      if (std::isnan(error)) error = HUGE_VAL;
      agreement.max_error = std::max(agreement.max_error, error);
    }
  }
  return agreement;
}

struct Bounds {
  double max_error;       // F32 only
  double token_cosine;    // per hidden row; 0 = not bounded
  double pooled_cosine;   // per embedding and logits vector
};

Bounds BoundsFor(const std::string& type) {
  if (type == "f32") return {1e-4, 0.0, 0.0};
  if (type == "f16") return {HUGE_VAL, 0.99999, 0.99999};
  if (type == "q8_0" || type == "i8") return {HUGE_VAL, 0.9995, 0.9999};
  return {HUGE_VAL, 0.0, 0.99};
}

void Check(const std::string& what, const Agreement& agreement, const Bounds& bounds,
           double cosine_bound) {
  char line[160];
  std::snprintf(line, sizeof(line), "%-36s max rel error %.3g, min cosine %.9f", what.c_str(),
                agreement.max_error, agreement.min_cosine);
  MESSAGE(std::string(line));
  CHECK_MESSAGE(agreement.max_error <= bounds.max_error, line);
  CHECK_MESSAGE(agreement.min_cosine >= cosine_bound, line);
}

TEST_CASE("encoder matches PyTorch on every golden case, weight type and SIMD target") {
  const Golden& golden = EncoderGolden();
  REQUIRE_MESSAGE(golden.error().empty(), golden.error());
  const std::vector<std::string> cases = EncoderCases();
  REQUIRE(cases.size() >= 5);
  ForEachTarget([&](const char* target) {
    for (const std::string& test_case : cases) {
      for (const std::string& type : ModelTypes()) {
        const std::string name = std::string(target) + " " + test_case + "-" + type;
        const std::string file = test_case + "-" + type;
        CAPTURE(name);
        const GoldenModel loaded(file);
        const EncoderConfig& config = loaded.model.config();
        const GoldenBatch batch(test_case, config);
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
        Check(name + " hidden",
              Compare([&](size_t r) { return hidden + r * width; }, golden.F32(prefix + "hidden"),
                      total_rows, width),
              bounds, bounds.token_cosine);
        Check(name + " embedding",
              Compare([&](size_t b) { return session.Embedding(b); },
                      golden.F32(prefix + "embedding"), sequences, width),
              bounds, bounds.pooled_cosine);
        if (config.label_count != 0) {
          Check(name + " logits",
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
            Check(name + " " + PoolingName(pooling),
                  Compare([&](size_t b) { return session.Embedding(b); },
                          golden.F32(prefix + PoolingName(pooling)), sequences, width),
                  bounds, bounds.pooled_cosine);
          }
        }
      }
    }
  });
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
