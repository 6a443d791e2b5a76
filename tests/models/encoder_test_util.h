// Shared by the encoder tests: the golden models converted at build time
// (tests/models/golden/meson.build) and their inputs from bert.golden.
#ifndef TINYENC_TESTS_MODELS_ENCODER_TEST_UTIL_H_
#define TINYENC_TESTS_MODELS_ENCODER_TEST_UTIL_H_

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tinyenc/mapped_file.h"
#include "tests/golden.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"
#include "tests/test_util.h"

namespace tinyenc {
namespace test {

inline const Golden& EncoderGolden() {
  static const Golden golden("tests/models/golden/bert.golden");
  return golden;
}

// Cases in bert.golden and the types every case is converted to.
inline std::vector<std::string> EncoderCases() { return EncoderGolden().Cases("enc"); }
inline const std::vector<std::string>& ModelTypes() {
  static const std::vector<std::string> types = {"f32", "f16", "q8_0", "q4_0", "i8"};
  return types;
}

// A model file converted at build time, mapped and loaded: <name>.gguf in
// the folder the environment variable `dir_variable` names.
struct MappedModel {
  MappedFile file;
  Model model;

  MappedModel(const char* dir_variable, const std::string& name) {
    const char* dir = std::getenv(dir_variable);
    REQUIRE_MESSAGE(dir != nullptr, dir_variable, " is not set (meson test sets it)");
    const std::string path = std::string(dir) + "/" + name + ".gguf";
    Status status = file.Open(path.c_str());
    REQUIRE_MESSAGE(status.ok(), status.message());
    status = model.Load(file.data(), file.size());
    REQUIRE_MESSAGE(status.ok(), path, ": ", status.message());
  }
};

// A converted golden model (tests/models/golden).
struct GoldenModel : MappedModel {
  explicit GoldenModel(const std::string& name) : MappedModel("TINYENC_GOLDEN_MODELS", name) {}
};

// A case's batch, with the arrays its SequenceInputs point into.
struct GoldenBatch {
  std::vector<int64_t> lengths;  // rows per sequence
  std::vector<int32_t> ids, type_ids;
  std::vector<float> features;
  std::vector<SequenceInput> inputs;
  size_t max_rows = 0;

  GoldenBatch(const std::string& test_case, const EncoderConfig& config) {
    const Golden& golden = EncoderGolden();
    const std::string prefix = "enc." + test_case + ".";
    lengths = golden.Ints<int64_t>(prefix + "lengths");
    const bool tokens = config.input == InputType::kTokens;
    if (tokens) {
      ids = golden.Ints<int32_t>(prefix + "ids");
      type_ids = golden.Ints<int32_t>(prefix + "type_ids");
    } else {
      features = golden.F32(prefix + "features");
    }
    size_t position = 0;
    for (const int64_t rows : lengths) {
      SequenceInput input;
      input.length = static_cast<size_t>(rows) - (config.class_token ? 1 : 0);
      if (tokens) {
        input.token_ids = ids.data() + position;
        input.type_ids = type_ids.data() + position;
        position += input.length;
      } else {
        input.features = features.data() + position * config.feature_length;
        position += input.length;
      }
      inputs.push_back(input);
      if (static_cast<size_t>(rows) > max_rows) max_rows = static_cast<size_t>(rows);
    }
  }
};

// Calls fn(test_case, type, loaded, batch) for each of `cases` converted to
// each of ModelTypes(), the model's name captured for failure messages.
template <typename Fn>
void ForEachGoldenModel(const std::vector<std::string>& cases, const Fn& fn) {
  for (const std::string& test_case : cases) {
    for (const std::string& type : ModelTypes()) {
      const std::string name = test_case + "-" + type;
      CAPTURE(name);
      const GoldenModel loaded(name);
      const GoldenBatch batch(test_case, loaded.model.config());
      fn(test_case, type, loaded, batch);
    }
  }
}

// A session with an arena of exactly the planned size (tile_rows:
// ArenaBytes').
struct SizedSession {
  std::vector<uint8_t> arena;
  Session session;

  SizedSession(const Model& model, size_t max_rows, size_t max_batch, size_t tile_rows = 0) {
    size_t bytes = 0;
    Status status = ArenaBytes(model, max_rows, max_batch, &bytes, tile_rows);
    REQUIRE_MESSAGE(status.ok(), status.message());
    arena.resize(bytes);
    status = session.Init(model, arena.data(), arena.size(), max_rows, max_batch, tile_rows);
    REQUIRE_MESSAGE(status.ok(), status.message());
  }
};

// All outputs of the last Encode, flattened, for bitwise comparison.
inline std::vector<float> SessionOutputs(const Session& session, const EncoderConfig& config) {
  std::vector<float> out;
  const size_t width = session.hidden_width();
  for (size_t b = 0; b < session.batch(); ++b) {
    const float* hidden = session.Hidden(b);
    out.insert(out.end(), hidden, hidden + session.Rows(b) * width);
    if (const float* embedding = session.Embedding(b)) {
      out.insert(out.end(), embedding, embedding + width);
    }
    if (const float* logits = session.Logits(b)) {
      out.insert(out.end(), logits, logits + config.label_count);
    }
  }
  return out;
}

inline double Cosine(const float* a, const float* b, size_t count) {
  double dot = 0.0, aa = 0.0, bb = 0.0;
  for (size_t i = 0; i < count; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  if (aa == 0.0 && bb == 0.0) return 1.0;
  return dot / std::sqrt(aa * bb);
}

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_MODELS_ENCODER_TEST_UTIL_H_
