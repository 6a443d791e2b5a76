// The reproducers of issue 11 (../shared/data/hostile, README.md there says
// which file is which defect): each is refused with its status or runs
// correctly within a generous time limit. Skips (exit 77) when they are
// absent. Times are printed for the record.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/tokenizer/tokenizer_test_util.h"
#include "tests/test_util.h"
#include "tinyenc/mapped_file.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"

namespace tinyenc {
namespace test {
namespace {

std::string Hostile(const std::string& name) {
  const std::string path = SourcePath("../shared/data/hostile/" + name);
  bool found = false;
  ReadWholeFile(path, &found);
  if (!found) SkipTest(path + " is absent (../shared holds the reproducers)");
  return path;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct LoadedModel {
  MappedFile file;
  Model model;
  Status status;
  explicit LoadedModel(const std::string& name) {
    status = file.Open(Hostile(name).c_str());
    REQUIRE_MESSAGE(status.ok(), status.message());
    status = model.Load(file.data(), file.size());
  }
};

TEST_CASE("F1: a unigram unknown piece of UTF-16 length 0 is refused at Init") {
  for (const char* name : {"unigram_unknown_empty_min.gguf", "unigram_unknown_contbyte_min.gguf"}) {
    FileTokenizer tokenizer;
    const Status status = tokenizer.Open(Hostile(name));
    INFO(name, ": ", status.message());
    CHECK(status.code() == StatusCode::kBadHyperParameter);
    CHECK(std::string(status.message()).find("UTF-16 length 0") != std::string::npos);
  }
  FileTokenizer control;
  const Status status = control.Open(Hostile("unigram_unknown_ok_min.gguf"));
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(control.Encode("x").size() == 1);
}

TEST_CASE("F2: the 32-bit wrap-around files get their true arena size or a status") {
  LoadedModel ff1056("plan32_ff1056_ctx16.gguf");
  REQUIRE_MESSAGE(ff1056.status.ok(), ff1056.status.message());
  LoadedModel ctx1m("plan32_ff1024_ctx1M.gguf");
  REQUIRE_MESSAGE(ctx1m.status.ok(), ctx1m.status.message());
  // The x86-64 sizes the fuzzing found (README.md there: 4446419007 and
  // 4328521855), before the arena's owner tag was added, grown since by the
  // attention's scratch (a block of 8 queries and their transposed head
  // values a head, where there were 4 rows of scores).
  const struct {
    const Model& model;
    size_t rows, batch;
    uint64_t bytes_64bit;
  } cases[] = {{ff1056.model, 16, 65535, 4446419391u},
               {ctx1m.model, ctx1m.model.config().context_length, 1, 4345299199u}};
  for (const auto& one : cases) {
    size_t bytes = 0;
    const Status status = ArenaBytes(one.model, one.rows, one.batch, &bytes);
    INFO(one.rows, " rows x ", one.batch, ": ", status.message());
    if (sizeof(size_t) == 4) {
      CHECK(status.code() == StatusCode::kBatchTooLarge);
      CHECK(bytes == 0);
    } else {
      REQUIRE(status.ok());
      CHECK(uint64_t{bytes} >= one.bytes_64bit);
      CHECK(uint64_t{bytes} <= one.bytes_64bit + 64);
    }
  }
}

TEST_CASE("F3: a 45 MB text of U+FDFA needs more scratch than it is given, on any target") {
  FileTokenizer tokenizer;
  const Status opened = tokenizer.Open(Hostile("unigram_unknown_ok_min.gguf"));
  REQUIRE_MESSAGE(opened.ok(), opened.message());
  std::string text;
  for (int i = 0; i < 15000000; ++i) text += "\xEF\xB7\xBA";  // U+FDFA, 18 code points in NFKD
  // More than the size wrapped on 32-bit (about 25 MB), far less than the
  // true need (13 GB).
  std::vector<uint64_t> scratch(64 << 20 >> 3);
  std::vector<int32_t> ids(16);
  size_t count = 0;
  const Status status =
      tokenizer.tokenizer.Encode(text.data(), text.size(), ids.data(), ids.size(), &count,
                                 scratch.data(), scratch.size() * 8);
  INFO(status.message());
  CHECK(status.code() == StatusCode::kScratchTooSmall);
  CHECK(tokenizer.tokenizer.ScratchBytes(text.size()) > scratch.size() * 8);
}

TEST_CASE("F4: parsing keys after a large string array takes linear time") {
  MappedFile file;
  REQUIRE(file.Open(Hostile("keys_4096_after_1MiB_string_array.gguf").c_str()).ok());
  GgufFile gguf;
  auto start = std::chrono::steady_clock::now();
  const Status status = gguf.Parse(file.data(), file.size());
  const double seconds = Seconds(start);
  REQUIRE_MESSAGE(status.ok(), status.message());
  // The yardstick, on this machine and build: walking the string array 64
  // times, the most a linear Parse walks it (gguf.h). The quadratic check
  // walked it once per key, 4096 times.
  GgufFile::KeyCursor keys(gguf);
  GgufValue value, largest;
  while (keys.Next(&value)) {
    if (value.type == GgufValueType::kArray && value.array.count > largest.array.count) {
      largest = value;
    }
  }
  start = std::chrono::steady_clock::now();
  size_t walked = 0;
  for (int walk = 0; walk < 64; ++walk) {
    GgufStringCursor cursor(largest.array);
    GgufString element;
    while (cursor.Next(&element)) ++walked;
  }
  const double yardstick = Seconds(start);
  std::printf("F4: parsed 4096 keys after a 1 MiB string array in %.4f s (64 walks of the "
              "array: %.4f s, %zu elements)\n",
              seconds, yardstick, walked);
  CHECK(seconds < 4 * yardstick + 0.05);
}

// Init of the vocabulary and a 10 KB text, timed.
void TimeUnigram(const char* name, double* init_seconds, double* encode_seconds) {
  const std::string path = Hostile(name);
  FileTokenizer tokenizer;
  auto start = std::chrono::steady_clock::now();
  const Status status = tokenizer.Open(path);
  *init_seconds = Seconds(start);
  REQUIRE_MESSAGE(status.ok(), status.message());
  std::string text;
  uint32_t random = 12345;
  while (text.size() < 10000) {
    random = random * 1103515245u + 12345u;
    const uint32_t pick = (random >> 16) % 27;
    text += pick == 26 ? ' ' : static_cast<char>('a' + pick);
  }
  start = std::chrono::steady_clock::now();
  CHECK(!tokenizer.Encode(text).empty());
  *encode_seconds = Seconds(start);
  std::printf("F5: %s: Init %.4f s, 10 KB text %.4f s\n", name, *init_seconds, *encode_seconds);
}

TEST_CASE("F5: pieces chosen to collide in a hash do not slow Init or lookups") {
  double plain_init, plain_encode, collide_init, collide_encode;
  TimeUnigram("unigram_plain_20000.gguf", &plain_init, &plain_encode);
  TimeUnigram("unigram_collide_20000.gguf", &collide_init, &collide_encode);
  // Against the plain vocabulary on the same machine and build; unkeyed, the
  // colliding one took 0.91 s and 3.1 s against 0.002 s and 0.010 s.
  CHECK(collide_init < 10 * plain_init + 0.05);
  CHECK(collide_encode < 10 * plain_encode + 0.05);
}

TEST_CASE("F6: canonical ordering of a long run of marks takes linear time") {
  FileTokenizer tokenizer;
  const Status status = tokenizer.Open(Hostile("unigram_unknown_ok_min.gguf"));
  REQUIRE_MESSAGE(status.ok(), status.message());
  bool found = false;
  const std::string descending = ReadWholeFile(Hostile("marks_desc_5000.txt"), &found);
  const std::string ascending = ReadWholeFile(Hostile("marks_asc_5000.txt"), &found);
  // The 50,000-mark version of marks_desc_5000.txt: one run, every mark of
  // class 230 (U+0301) before every one of class 220 (U+0316); timed against
  // the same marks already in order.
  const auto run = [](const char* first, const char* second) {
    std::string text = "a";
    for (int i = 0; i < 25000; ++i) text += first;
    for (int i = 0; i < 25000; ++i) text += second;
    return text;
  };
  const std::string sorted = run("\xCC\x96", "\xCC\x81");
  const std::string reversed = run("\xCC\x81", "\xCC\x96");
  auto start = std::chrono::steady_clock::now();
  const std::vector<int32_t> sorted_ids = tokenizer.Encode(sorted);
  const double sorted_seconds = Seconds(start);
  start = std::chrono::steady_clock::now();
  const std::vector<int32_t> ids = tokenizer.Encode(reversed);
  const double seconds = Seconds(start);
  std::printf("F6: a run of 50,000 marks in descending class in %.4f s (in order: %.4f s)\n",
              seconds, sorted_seconds);
  CHECK(ids == sorted_ids);
  CHECK(seconds < 10 * sorted_seconds + 0.05);  // quadratic: 9.1 s
  // Sorted, the descending run reads as the ascending one.
  CHECK(tokenizer.Encode(descending) == tokenizer.Encode(ascending));
}

TEST_CASE("F8: non-finite weights give NaN outputs, without undefined behaviour, on every target") {
  for (const char* name : {"nan_attn_q_f32.gguf", "emu128_sumoflanes_overflow.gguf"}) {
    LoadedModel loaded(name);
    REQUIRE_MESSAGE(loaded.status.ok(), name, ": ", loaded.status.message());
    const EncoderConfig& config = loaded.model.config();
    const size_t rows = config.context_length < 8 ? config.context_length : 8;
    size_t bytes = 0;
    REQUIRE(ArenaBytes(loaded.model, rows, 1, &bytes).ok());
    std::vector<uint8_t> arena(bytes);
    Session session;
    REQUIRE(session.Init(loaded.model, arena.data(), bytes, rows, 1).ok());
    REQUIRE(session.set_pooling(Pooling::kMean).ok());
    std::vector<int32_t> ids(rows);
    for (size_t i = 0; i < rows && config.vocab_size != 0; ++i) {
      ids[i] = static_cast<int32_t>(i % config.vocab_size);
    }
    std::vector<float> features(rows * (config.feature_length ? config.feature_length : 1), 0.5f);
    SequenceInput input = {};
    input.token_ids = ids.data();
    input.features = features.data();
    input.length = rows - (config.class_token ? 1 : 0);  // the class token takes a row
    ForEachTarget([&](const char* target) {
      const Status status = session.Encode(&input, 1);
      const std::string what = std::string(name) + " on " + target + ": " + status.message();
      INFO(what);
      REQUIRE(status.ok());
      bool any_nan = false;
      for (size_t i = 0; i < session.hidden_width(); ++i) {
        any_nan = any_nan || std::isnan(session.Embedding(0)[i]);
      }
      CHECK(any_nan);
    });
  }
}

TEST_CASE("F11: tokenizer.ggml.token_type_count of the wrong type is refused") {
  LoadedModel minus1("token_type_count_i32_minus1.gguf");
  CHECK(minus1.status.code() == StatusCode::kBadHyperParameter);
  LoadedModel string("token_type_count_string.gguf");
  CHECK(string.status.code() == StatusCode::kKeyType);
  CHECK(std::string(string.status.message()).find("token_type_count") != std::string::npos);
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
