// WordPiece against Hugging Face: llama.cpp's BERT cases (../shared) and the
// committed corpus with Transformers.js's ids (make_goldens.mjs).
#include <string>

#include "doctest/doctest.h"
#include "tests/skip.h"
#include "tests/models/tokenizer/tokenizer_test_util.h"

namespace tinyenc {
namespace test {
namespace {

// Checks every case; ids in the files may omit [CLS] and [SEP].
void CheckCases(const VocabTokenizer& vocab, const std::vector<Case>& cases, bool with_specials) {
  size_t agree = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    std::vector<int32_t> ids = vocab.Encode(cases[i].input);
    REQUIRE(ids.size() >= 2);
    if (!with_specials) ids = std::vector<int32_t>(ids.begin() + 1, ids.end() - 1);
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

TEST_CASE("WordPiece matches Hugging Face on llama.cpp's BERT cases") {
  VocabTokenizer vocab("bert");
  if (!vocab.absent.empty()) {
    SkipCase("../shared/data/bert-vocab is not here (" + vocab.absent + ")");
    return;
  }
  bool found = false;
  const std::string stem = SourcePath("../shared/data/bert-vocab/wordpiece-cases");
  const std::vector<Case> cases = ReadCases(stem + ".inp", stem + ".out", &found);
  REQUIRE_MESSAGE(found, "the BERT vocabulary is here but wordpiece-cases.inp/.out are not");
  CHECK(cases.size() == 46);
  CheckCases(vocab, cases, false);
}

TEST_CASE("WordPiece matches Transformers.js on the corpus") {
  VocabTokenizer vocab("bert");
  if (!vocab.absent.empty()) {
    SkipCase("../shared/data/bert-vocab is not here (" + vocab.absent + ")");
    return;
  }
  bool found = false;
  const std::vector<Case> cases = ReadCases(SourcePath("tests/models/tokenizer/corpus.inp"),
                                            SourcePath("tests/models/tokenizer/wordpiece.out"),
                                            &found);
  REQUIRE_MESSAGE(found, "tests/models/tokenizer/corpus.inp or wordpiece.out is missing");
  REQUIRE(cases.size() >= 2000);
  CheckCases(vocab, cases, true);
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
