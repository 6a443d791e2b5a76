// Shared by the KWT tests: the models converted at build time from
// ../shared/data/kwt1 (tests/models/kwt/meson.build), the clips and the
// goldens TensorFlow Lite's interpreter wrote (make_goldens.js).
#ifndef TINYENC_TESTS_MODELS_KWT_KWT_TEST_UTIL_H_
#define TINYENC_TESTS_MODELS_KWT_KWT_TEST_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/golden.h"
#include "tests/models/encoder_test_util.h"
#include "tinyenc/session.h"
#include "tools/cli/wav.h"

namespace tinyenc {
namespace test {

inline const Golden& KwtGolden() {
  static const Golden golden("tests/models/kwt/kwt.golden");
  return golden;
}

// Empty when the converted models are here; otherwise why not (the build
// step's stamp: ../shared or python3-flatbuffers absent).
inline std::string KwtModelsAbsent() {
  const char* dir = std::getenv("TINYENC_KWT_MODELS");
  if (dir == nullptr) return "TINYENC_KWT_MODELS is not set (meson test sets it)";
  std::ifstream stamp(std::string(dir) + "/kwt-models.txt");
  std::string line;
  std::getline(stamp, line);
  return line.rfind("converted", 0) == 0 ? "" : "KWT-1 models " + line;
}

// A converted KWT-1 model of one weight type.
struct KwtModel : MappedModel {
  explicit KwtModel(const std::string& outtype)
      : MappedModel("TINYENC_KWT_MODELS", "kwt-" + outtype) {}
};

// A session over a whole window, with its arena (tile_rows: ArenaBytes').
struct KwtSession {
  std::vector<uint8_t> arena;
  Session session;

  explicit KwtSession(const Model& model, size_t tile_rows = 0) {
    const size_t rows = model.config().context_length;
    size_t bytes = 0;
    REQUIRE(ArenaBytes(model, rows, 1, &bytes, tile_rows).ok());
    arena.resize(bytes);
    REQUIRE(session.Init(model, arena.data(), bytes, rows, 1, tile_rows).ok());
  }
};

// The golden's clips ("audio/yes_1000ms": ../shared's; "clips/...": ours);
// `quick` keeps the recorded four and every fifth synthetic one, for the
// cross suites under qemu.
inline std::vector<std::string> KwtClips(bool quick) {
  std::vector<std::string> clips;
  size_t synthetic = 0;
  for (const std::string& clip : KwtGolden().Cases("kwt")) {
    if (!quick || clip.rfind("audio/", 0) == 0 || synthetic++ % 5 == 0) clips.push_back(clip);
  }
  return clips;
}

inline bool QuickRun() { return std::getenv("TINYENC_KWT_QUICK") != nullptr; }

inline std::vector<int16_t> ReadClip(const std::string& clip) {
  const char* root = std::getenv("TINYENC_SOURCE_ROOT");
  REQUIRE(root != nullptr);
  const std::string path = clip.rfind("audio/", 0) == 0
                               ? std::string(root) + "/../shared/data/kwt1/" + clip + ".wav"
                               : std::string(root) + "/tests/models/kwt/" + clip + ".wav";
  std::vector<int16_t> samples;
  std::string error;
  REQUIRE_MESSAGE(cli::ReadWav(path.c_str(), 16000, &samples, &error), error);
  return samples;
}

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_MODELS_KWT_KWT_TEST_UTIL_H_
