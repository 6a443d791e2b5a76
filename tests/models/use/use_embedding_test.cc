// Universal Sentence Encoder lite, converted from its TF.js package, against
// the embeddings its reference runtime gives for every sentence of
// sentences.txt, on every weight type and SIMD target. Inputs are the
// reference tokenizer's ids, so this test does not depend on tinyenc's.
// Bounds, from issue 5: F32 cosine >= 0.99999 and max |delta| <= 1e-5 per
// embedding; Q8_0 cosine >= 0.999; I8 (the integer issue's bar) cosine >=
// 0.999 (measured 0.99924; 0.99908 on AVX3_DL, whose FFN, attention
// output and Q inputs are coded in 8 bits; V is F16 in these files). F16
// weights: cosine >= 0.9999 (half rounding is 2^-11 relative per weight,
// about Q8_0's error / 8).
// Sanitized builds check a subset (SentencesToCheck says which and why).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/encoder_test_util.h"
#include "tests/models/use/use_test_util.h"
#include "tests/test_util.h"

namespace tinyenc {
namespace test {
namespace {

constexpr size_t kBatch = 16;  // sequences per Encode, packed

struct Bounds {
  double cosine;
  double max_abs;
};

Bounds BoundsFor(const std::string& type) {
  if (type == "f32") return {0.99999, 1e-5};
  if (type == "f16") return {0.9999, HUGE_VAL};
  return {0.999, HUGE_VAL};
}

// Every sentence, or with TINYENC_USE_CORPUS=shapes (meson sets it in
// sanitized builds) the shortest sentence of each length modulo 32, and the
// shortest that fills the context. Under ASan and UBSan, GCC keeps every
// Highway vector in an instrumented stack slot, which makes a multiply-add
// about twenty instructions: the whole corpus took over 30 minutes, and one
// sentence per length 5 minutes of CPU. The faults the sanitizers look for depend on
// the shapes Encode sees, not on the words: a longer sequence adds only whole
// vectors (16 floats at most) and whole 4-row tiles to these.
constexpr size_t kShapeModulus = 32;

std::vector<size_t> SentencesToCheck(const std::vector<UseSentence>& corpus, size_t context) {
  const char* choice = std::getenv("TINYENC_USE_CORPUS");
  const bool shapes_only = choice != nullptr && std::strcmp(choice, "shapes") == 0;
  REQUIRE_MESSAGE((choice == nullptr || shapes_only), "TINYENC_USE_CORPUS is unset or shapes");
  std::vector<size_t> chosen;
  if (!shapes_only) {
    for (size_t i = 0; i < corpus.size(); ++i) chosen.push_back(i);
    return chosen;
  }
  constexpr size_t kClipped = kShapeModulus;  // the slot after the residues
  constexpr size_t kNone = SIZE_MAX;
  size_t shortest[kShapeModulus + 1];
  std::fill(std::begin(shortest), std::end(shortest), kNone);
  for (size_t i = 0; i < corpus.size(); ++i) {
    const size_t length = corpus[i].ids.size();
    const size_t slot = length >= context ? kClipped : length % kShapeModulus;
    if (shortest[slot] == kNone || length < corpus[shortest[slot]].ids.size()) shortest[slot] = i;
  }
  REQUIRE(shortest[kClipped] != kNone);
  for (const size_t i : shortest) {
    if (i != kNone) chosen.push_back(i);
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

struct Worst {
  double cosine = 1.0;
  double max_abs = 0.0;
  size_t cosine_sentence = 0;
};

TEST_CASE("USE-lite matches its reference runtime on every sentence, weight type and target") {
  const std::vector<UseSentence>& corpus = UseCorpus();
  REQUIRE(corpus.size() >= 500);
  for (const std::string type : {"f32", "f16", "q8_0", "i8"}) {
    // F16 adds nothing per target that F32 and Q8_0 do not cover.
    const bool every_target = type != "f16";
    const UseModel loaded(type);
    const EncoderConfig& config = loaded.model.config();
    REQUIRE(config.hidden_width() == 512);
    const size_t context = config.context_length;
    const std::vector<size_t> chosen = SentencesToCheck(corpus, context);
    SizedSession sized(loaded.model, context, kBatch);
    Session& session = sized.session;
    const auto check = [&](const char* target) {
      Worst worst;
      for (size_t first = 0; first < chosen.size(); first += kBatch) {
        const size_t count = std::min(kBatch, chosen.size() - first);
        std::vector<SequenceInput> inputs(count);
        for (size_t b = 0; b < count; ++b) {
          const std::vector<int32_t>& ids = corpus[chosen[first + b]].ids;
          inputs[b].token_ids = ids.data();
          // The reference drops tokens past its context (ClipToMaxLength).
          inputs[b].length = std::min(ids.size(), context);
        }
        const Status status = session.Encode(inputs.data(), count);
        REQUIRE_MESSAGE(status.ok(), status.message());
        for (size_t b = 0; b < count; ++b) {
          const float* got = session.Embedding(b);
          const std::vector<float>& want = corpus[chosen[first + b]].embedding;
          REQUIRE(want.size() == 512);
          const double cosine = Cosine(got, want.data(), want.size());
          if (!(cosine >= worst.cosine)) {
            worst.cosine = WorseCosine(worst.cosine, cosine);
            worst.cosine_sentence = chosen[first + b];
          }
          worst.max_abs = WorseError(worst.max_abs, MaxAbsError(got, want.data(), want.size()));
        }
      }
      char line[200];
      std::snprintf(line, sizeof(line),
                    "%-8s %-5s %zu sentences: min cosine %.9f (line %zu), max |delta| %.3g",
                    target, type.c_str(), chosen.size(), worst.cosine, worst.cosine_sentence,
                    worst.max_abs);
      MESSAGE(std::string(line));
      const Bounds bounds = BoundsFor(type);
      CHECK_MESSAGE(worst.cosine >= bounds.cosine, line);
      CHECK_MESSAGE(worst.max_abs <= bounds.max_abs, line);
    };
    if (every_target) {
      ForEachTarget(check);
    } else {
      check("default");
    }
  }
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
