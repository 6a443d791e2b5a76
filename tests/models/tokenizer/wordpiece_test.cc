// WordPiece against Hugging Face: llama.cpp's BERT cases (../shared), the
// committed corpus with Transformers.js's ids (make_goldens.mjs), and the
// corpus's texts in pairs with Hugging Face tokenizers' longest_first
// truncation (make_pair_goldens.mjs).
#include <sstream>
#include <string>

#include "doctest/doctest.h"
#include "tests/skip.h"
#include "tests/models/tokenizer/tokenizer_test_util.h"

namespace tinyenc {
namespace test {
namespace {

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
  // Their ids leave out [CLS] and [SEP].
  CheckCases(cases, [&](const std::string& text) {
    const std::vector<int32_t> ids = vocab.Encode(text);
    REQUIRE(ids.size() >= 2);
    return std::vector<int32_t>(ids.begin() + 1, ids.end() - 1);
  });
}

TEST_CASE("WordPiece matches Transformers.js on the corpus") {
  VocabTokenizer vocab("bert");
  if (!vocab.absent.empty()) {
    SkipCase("../shared/data/bert-vocab is not here (" + vocab.absent + ")");
    return;
  }
  CheckCases(ReadCorpusCases("wordpiece.out"), [&](const std::string& text) {
    const std::vector<int32_t> ids = vocab.Encode(text);
    REQUIRE(ids.size() >= 2);  // [CLS] and [SEP] at least
    return ids;
  });
}

TEST_CASE("WordPiece pairs match Hugging Face tokenizers, longest_first truncation included") {
  VocabTokenizer vocab("bert");
  if (!vocab.absent.empty()) {
    SkipCase("../shared/data/bert-vocab is not here (" + vocab.absent + ")");
    return;
  }
  bool found = false, pairs_found = false;
  const std::vector<Case> texts = ReadCases(SourcePath("tests/models/tokenizer/corpus.inp"),
                                            SourcePath("tests/models/tokenizer/wordpiece.out"),
                                            &found);
  std::istringstream pairs(
      ReadWholeFile(SourcePath("tests/models/tokenizer/wordpiece_pairs.out"), &pairs_found));
  REQUIRE_MESSAGE((found && pairs_found), "corpus.inp, wordpiece.out or wordpiece_pairs.out is missing");
  size_t lines = 0, agree = 0, truncated = 0;
  for (std::string line; std::getline(pairs, line); ++lines) {
    // "PAIR MAX_LENGTH; IDS; TYPES"
    std::istringstream fields(line);
    std::string head, ids_text, types_text;
    REQUIRE(std::getline(fields, head, ';'));
    REQUIRE(std::getline(fields, ids_text, ';'));
    REQUIRE(std::getline(fields, types_text));
    size_t pair = 0, max_ids = 0;
    std::istringstream(head) >> pair >> max_ids;
    REQUIRE(2 * pair + 1 < texts.size());
    std::vector<int32_t> want_ids, want_types;
    std::istringstream id_numbers(ids_text), type_numbers(types_text);
    for (int32_t v; id_numbers >> v;) want_ids.push_back(v);
    for (int32_t v; type_numbers >> v;) want_types.push_back(v);
    const std::string& first = texts[2 * pair].input;
    const std::string& second = texts[2 * pair + 1].input;
    std::vector<int32_t> ids(max_ids + 1, -7), types(max_ids + 1, -7);
    size_t count = 0, untruncated = 0;
    const Status status = vocab.tokenizer.EncodePair(first.data(), first.size(), second.data(),
                                                     second.size(), ids.data(), types.data(),
                                                     max_ids, &count, &untruncated);
    REQUIRE_MESSAGE(status.ok(), std::string(status.message()));
    // Nothing is written past count (the -7 past max_ids stays too).
    CHECK(ids[max_ids] == -7);
    CHECK(types[max_ids] == -7);
    ids.resize(count);
    types.resize(count);
    if (count < untruncated) ++truncated;
    const size_t whole = texts[2 * pair].ids.size() + texts[2 * pair + 1].ids.size() - 1;
    if (ids == want_ids && types == want_types && untruncated == whole) {
      ++agree;
    } else {
      FAIL_CHECK("pair ", pair, " at ", max_ids, ": got ", Join(ids), " / ", Join(types),
                 " (untruncated ", untruncated, " of ", whole, "), want ", Join(want_ids), " / ",
                 Join(want_types));
    }
  }
  MESSAGE(agree, " of ", lines, " pair encodings agree, ", truncated, " of them truncated");
  CHECK(lines >= 6000);
  CHECK(truncated >= 3000);  // the short lengths truncate most pairs: longest_first is exercised
  CHECK(agree == lines);
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
