// Shared by the tokenizer tests: vocabulary-only GGUF files made at build
// time (make_vocab_ggufs.py), and case files in llama.cpp's form: inputs
// separated by lines `__ggml_vocab_test__`, expected ids one line per input.
#ifndef TINYENC_TESTS_MODELS_TOKENIZER_TOKENIZER_TEST_UTIL_H_
#define TINYENC_TESTS_MODELS_TOKENIZER_TOKENIZER_TEST_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "models/tokenizer/tokenizer_state.h"
#include "runtime/core/gguf.h"
#include "runtime/model_state.h"
#include "tinyenc/mapped_file.h"
#include "tinyenc/tokenizer.h"

namespace tinyenc {
namespace test {

inline std::string ReadWholeFile(const std::string& path, bool* found) {
  std::ifstream in(path, std::ios::binary);
  *found = static_cast<bool>(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string SourcePath(const std::string& relative) {
  const char* root = std::getenv("TINYENC_SOURCE_ROOT");
  REQUIRE_MESSAGE(root != nullptr, "TINYENC_SOURCE_ROOT is not set (meson test sets it)");
  return std::string(root) + "/" + relative;
}

// A tokenizer over a vocabulary GGUF file (or a whole model file).
struct FileTokenizer {
  MappedFile file;
  GgufFile gguf;
  std::vector<uint64_t> memory;
  Tokenizer tokenizer;

  // Maps, parses and initializes; the first failure's status.
  Status Open(const std::string& path) {
    Status status = file.Open(path.c_str());
    if (status.ok()) status = gguf.Parse(file.data(), file.size());
    size_t bytes = 0;
    if (status.ok()) status = TokenizerMemoryBytes(gguf, &bytes);
    if (!status.ok()) return status;
    memory.resize((bytes + 7) / 8);
    return InitTokenizer(gguf, memory.data(), bytes, &TokenizerAccess::State(tokenizer));
  }

  std::vector<int32_t> Encode(const std::string& text) const {
    std::vector<uint64_t> scratch((tokenizer.ScratchBytes(text.size()) + 7) / 8);
    std::vector<int32_t> ids(text.size() * 6 + 2);  // NFKC can make 6 code points of a byte
    size_t count = 0;
    Status status = tokenizer.Encode(text.data(), text.size(), ids.data(), ids.size(), &count,
                                     scratch.data(), scratch.size() * 8);
    REQUIRE_MESSAGE(status.ok(), std::string(status.message()));
    ids.resize(count);
    return ids;
  }
};

// A tokenizer over one of the build step's vocabulary files; `absent` says
// why it could not be made (the stamp's line), empty when it was.
struct VocabTokenizer : FileTokenizer {
  std::string absent;

  // name: "bert" or "use".
  explicit VocabTokenizer(const std::string& name) {
    const char* dir = std::getenv("TINYENC_TOKENIZER_VOCABS");
    REQUIRE_MESSAGE(dir != nullptr, "TINYENC_TOKENIZER_VOCABS is not set (meson test sets it)");
    bool found = false;
    std::istringstream stamp(ReadWholeFile(std::string(dir) + "/vocabs.txt", &found));
    REQUIRE_MESSAGE(found, "no vocabs.txt in ", dir);
    for (std::string line; std::getline(stamp, line);) {
      if (line.rfind(name + ": absent", 0) == 0) absent = line;
    }
    if (!absent.empty()) return;
    const std::string path = std::string(dir) + "/" + name + "-vocab.gguf";
    const Status status = Open(path);
    REQUIRE_MESSAGE(status.ok(), path, ": ", std::string(status.message()));
  }
};

struct Case {
  std::string input;
  std::vector<int32_t> ids;
};

// Reads the inputs and their ids; `found` is false when either is missing.
inline std::vector<Case> ReadCases(const std::string& inputs_path, const std::string& ids_path,
                                   bool* found) {
  bool inp_found = false, out_found = false;
  const std::string inputs = ReadWholeFile(inputs_path, &inp_found);
  std::istringstream outputs(ReadWholeFile(ids_path, &out_found));
  *found = inp_found && out_found;
  std::vector<Case> cases;
  if (!*found) return cases;
  const std::string separator = "\n__ggml_vocab_test__\n";
  for (size_t start = 0; start < inputs.size();) {
    const size_t end = inputs.find(separator, start);
    REQUIRE_MESSAGE(end != std::string::npos, inputs_path, ": input without a separator");
    Case one;
    one.input = inputs.substr(start, end - start);
    std::string line;
    REQUIRE_MESSAGE(static_cast<bool>(std::getline(outputs, line)), ids_path,
                    ": fewer lines than inputs");
    std::istringstream numbers(line);
    for (int32_t id; numbers >> id;) one.ids.push_back(id);
    cases.push_back(one);
    start = end + separator.size();
  }
  std::string extra;
  REQUIRE_MESSAGE(!std::getline(outputs, extra), ids_path, ": more lines than inputs");
  return cases;
}

inline std::string Join(const std::vector<int32_t>& ids) {
  std::string text;
  for (int32_t id : ids) text += (text.empty() ? "" : " ") + std::to_string(id);
  return text;
}

// The committed corpus with the ids a reference tokenizer gave its texts
// (make_goldens.mjs wrote them to tests/models/tokenizer/<ids_file>).
inline std::vector<Case> ReadCorpusCases(const std::string& ids_file) {
  bool found = false;
  const std::vector<Case> cases = ReadCases(SourcePath("tests/models/tokenizer/corpus.inp"),
                                            SourcePath("tests/models/tokenizer/" + ids_file),
                                            &found);
  REQUIRE_MESSAGE(found, "tests/models/tokenizer/corpus.inp or ", ids_file, " is missing");
  REQUIRE(cases.size() >= 2000);
  return cases;
}

// Checks encode(input) against every case's ids, naming each case that
// differs rather than stopping at the first.
template <typename Encode>
void CheckCases(const std::vector<Case>& cases, const Encode& encode) {
  size_t agree = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::vector<int32_t> ids = encode(cases[i].input);
    if (ids == cases[i].ids) {
      ++agree;
    } else {
      FAIL_CHECK("case ", i, " \"", cases[i].input, "\": got ", Join(ids), ", want ",
                 Join(cases[i].ids));
    }
  }
  MESSAGE(agree, " of ", cases.size(), " cases agree");
  CHECK(agree == cases.size());
}

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_MODELS_TOKENIZER_TOKENIZER_TEST_UTIL_H_
