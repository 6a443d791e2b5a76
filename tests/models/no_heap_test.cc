// Proves the "no heap after load" rule: Model::Load, Session::Init, Encode
// and Listen make no allocation through operator new or malloc. This binary
// replaces the global operator new/delete and (on glibc, without a
// sanitizer that owns malloc) malloc/calloc/realloc/free with counting
// versions.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/skip.h"
#include "tests/models/encoder_test_util.h"
#include "tests/models/kwt/kwt_test_util.h"
#include "tests/test_util.h"
#include "tests/models/tokenizer/tokenizer_test_util.h"
#include "tinyenc/thread_pool.h"
#include "tinyenc/tokenizer.h"

namespace {
std::atomic<size_t> g_allocations{0};
}  // namespace

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define TINYENC_COUNT_MALLOC 1
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* pointer, size_t size);
void __libc_free(void* pointer);

void* malloc(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
void* calloc(size_t count, size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(pointer, size);
}
void free(void* pointer) { __libc_free(pointer); }
}
#else
#define TINYENC_COUNT_MALLOC 0
#endif

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
#if TINYENC_COUNT_MALLOC
  void* pointer = __libc_malloc(size == 0 ? 1 : size);
#else
  void* pointer = std::malloc(size == 0 ? 1 : size);
#endif
  if (pointer == nullptr) std::abort();
  return pointer;
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* pointer) noexcept { std::free(pointer); }
void operator delete[](void* pointer) noexcept { std::free(pointer); }
void operator delete(void* pointer, size_t) noexcept { std::free(pointer); }
void operator delete[](void* pointer, size_t) noexcept { std::free(pointer); }

namespace tinyenc {
namespace test {
namespace {

TEST_CASE("the counters see allocations") {
  const size_t before = g_allocations.load();
  std::string* text = new std::string(100, 'x');
  delete text;
#if TINYENC_COUNT_MALLOC
  void* volatile block = std::malloc(16);
  std::free(block);
  CHECK(g_allocations.load() - before >= 3);
#else
  CHECK(g_allocations.load() - before >= 2);
#endif
}

TEST_CASE("load, init and encode allocate nothing") {
  REQUIRE_MESSAGE(EncoderGolden().error().empty(), EncoderGolden().error());
  const std::vector<std::string> cases = EncoderCases();
  REQUIRE(cases.size() >= 6);  // every case of bert.golden, not a silent empty loop
  // The pool is made before counting starts (its threads allocate); Encode
  // on it, split into the smallest tasks, must not.
  ThreadPool threads(2);
  TaskPool pool = threads.task_pool();
  pool.min_task_work = 1;
  ForEachGoldenModel(cases, [&](const std::string&, const std::string&,
                                const GoldenModel& mapped, const GoldenBatch& batch) {
    size_t bytes = 0;
    REQUIRE(ArenaBytes(mapped.model, batch.max_rows, batch.inputs.size(), &bytes).ok());
    std::vector<uint8_t> arena(bytes);

    // Mapping the file may allocate; loading it again, counted, may not.
    const size_t before = g_allocations.load();
    Model model;
    Status status = model.Load(mapped.file.data(), mapped.file.size());
    Session session;
    if (status.ok()) {
      status = session.Init(model, arena.data(), arena.size(), batch.max_rows,
                            batch.inputs.size());
    }
    for (int run = 0; run < 4 && status.ok(); ++run) {
      if (run == 2) status = session.set_pool(&pool);
      if (status.ok()) status = session.Encode(batch.inputs.data(), batch.inputs.size());
    }
    const size_t allocations = g_allocations.load() - before;
    REQUIRE_MESSAGE(status.ok(), status.message());
    CHECK(allocations == 0);
  });
}

TEST_CASE("a keyword model's load, init and Listen (a window, then a stream) allocate nothing") {
  const std::string absent = KwtModelsAbsent();
  if (!absent.empty()) {
    SkipCase(absent);
    return;
  }
  // Whole sequences, and tiles of 4 rows as the M4 firmware runs them.
  for (const char* type : {"f32", "q8_0", "i8"}) {
    for (size_t tile_rows : {0, 4}) {
      CAPTURE(type);
      CAPTURE(tile_rows);
      const KwtModel mapped(type);
      const AudioConfig& audio = mapped.model.audio();
      const size_t rows = mapped.model.config().context_length;
      size_t bytes = 0;
      REQUIRE(ArenaBytes(mapped.model, rows, 1, &bytes, tile_rows).ok());
      std::vector<uint8_t> arena(bytes);
      const std::vector<float> noise = RandomFloats(2 * audio.clip_samples, 7);
      std::vector<int16_t> samples(noise.size());
      for (size_t i = 0; i < noise.size(); ++i) samples[i] = static_cast<int16_t>(noise[i] * 9000);
      const size_t hop = 10 * audio.window_stride;

      const size_t before = g_allocations.load();
      Model model;
      Status status = model.Load(mapped.file.data(), mapped.file.size());
      Session session;
      if (status.ok()) {
        status = session.Init(model, arena.data(), arena.size(), rows, 1, tile_rows);
      }
      for (size_t start = 0; start <= audio.clip_samples && status.ok(); start += hop) {
        status = session.Listen(samples.data() + start, audio.clip_samples, start == 0 ? 0 : hop);
      }
      if (status.ok()) status = session.Listen(noise.data(), audio.clip_samples);
      const size_t allocations = g_allocations.load() - before;
      REQUIRE_MESSAGE(status.ok(), status.message());
      CHECK(allocations == 0);
    }
  }
}

// Text covering both tokenizers' paths: accents, CJK, emoji, punctuation,
// a long word, malformed UTF-8.
const std::string kText =
    "Hello, W\xc3\xb6rld! \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x98\x80 code_point(x) == 42; "
    "supercalifragilisticexpialidocious \xff\xfe tail";

TEST_CASE("tokenizer Init and Encode allocate nothing") {
  const GoldenModel mapped("tiny-q8_0");  // a WordPiece vocabulary
  size_t bytes = 0;
  REQUIRE(Tokenizer::MemoryBytes(mapped.model, &bytes).ok());
  std::vector<uint64_t> memory((bytes + 7) / 8);
  std::vector<int32_t> ids(256);
  size_t count = 0;
  const size_t before = g_allocations.load();
  Tokenizer tokenizer;
  Status status = tokenizer.Init(mapped.model, memory.data(), bytes);
  if (status.ok()) status = tokenizer.Encode(kText.data(), kText.size(), ids.data(), 256, &count);
  const size_t allocations = g_allocations.load() - before;
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(count > 10);
  CHECK(allocations == 0);
}

TEST_CASE("unigram tokenizer Encode allocates nothing") {
  // Where this machine has USE-lite's vocabulary; otherwise the program
  // reports itself skipped (after its other cases ran).
  const VocabTokenizer use("use");
  if (!use.absent.empty()) {
    SkipCase("unigram part: " + use.absent);
    return;
  }
  std::vector<int32_t> ids(256);
  size_t count = 0;
  std::vector<uint64_t> scratch((use.tokenizer.ScratchBytes(kText.size()) + 7) / 8);
  const size_t before_unigram = g_allocations.load();
  const Status status = use.tokenizer.Encode(kText.data(), kText.size(), ids.data(), 256, &count,
                                scratch.data(), scratch.size() * 8);
  CHECK(g_allocations.load() - before_unigram == 0);
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(count > 10);
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
