// Encode on a pool: bit-identical outputs for 1, 2 and 3 threads on every
// golden case, weight type and SIMD target, with the split forced down to
// the smallest tasks (min_task_work 1) so the small golden shapes split too;
// and the pool's contract checks (tinyenc/task_pool.h). Run it under
// ThreadSanitizer as README says.
#include <cstring>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/encoder_test_util.h"
#include "tests/test_util.h"
#include "tinyenc/thread_pool.h"

namespace tinyenc {
namespace test {
namespace {

// Every output of the last Encode, as bytes.
std::vector<uint8_t> Outputs(const Session& session, const EncoderConfig& config, size_t batch) {
  std::vector<uint8_t> bytes;
  const auto append = [&](const float* values, size_t count) {
    REQUIRE(values != nullptr);
    const auto* begin = reinterpret_cast<const uint8_t*>(values);
    bytes.insert(bytes.end(), begin, begin + count * sizeof(float));
  };
  const size_t width = config.hidden_width();
  for (size_t b = 0; b < batch; ++b) {
    append(session.Hidden(b), session.Rows(b) * width);
    append(session.Embedding(b), width);
    if (config.label_count != 0) append(session.Logits(b), config.label_count);
  }
  return bytes;
}

TEST_CASE("outputs are bit-identical for 1, 2 and 3 threads on every case, type and target") {
  const std::vector<std::string> cases = EncoderCases();
  REQUIRE(cases.size() >= 7);
  ThreadPool two(2), three(3);
  TaskPool pools[2] = {two.task_pool(), three.task_pool()};
  for (TaskPool& pool : pools) pool.min_task_work = 1;  // split every step
  ForEachTarget([&](const char*) {
    ForEachGoldenModel(cases, [&](const std::string&, const std::string&,
                                  const GoldenModel& loaded, const GoldenBatch& batch) {
      const EncoderConfig& config = loaded.model.config();
      SizedSession sized(loaded.model, batch.max_rows, batch.inputs.size());
      Session& session = sized.session;
      if (config.pooling == Pooling::kNone) REQUIRE(session.set_pooling(Pooling::kMean).ok());
      Status status = session.Encode(batch.inputs.data(), batch.inputs.size());
      REQUIRE_MESSAGE(status.ok(), status.message());
      const std::vector<uint8_t> one = Outputs(session, config, batch.inputs.size());
      for (const TaskPool& pool : pools) {
        CAPTURE(pool.threads);
        REQUIRE(session.set_pool(&pool).ok());
        status = session.Encode(batch.inputs.data(), batch.inputs.size());
        REQUIRE_MESSAGE(status.ok(), status.message());
        const std::vector<uint8_t> many = Outputs(session, config, batch.inputs.size());
        REQUIRE(many.size() == one.size());
        CHECK(std::memcmp(many.data(), one.data(), one.size()) == 0);
      }
      REQUIRE(session.set_pool(nullptr).ok());
    });
  });
}

// A pool that runs the tasks on the calling thread, breaking the contract
// the way `mode` says.
enum class Fault { kNone, kSkipLast, kRepeatFirst, kSwap, kOutOfRange };
struct FaultyPool {
  Fault fault = Fault::kNone;
  size_t runs = 0;

  static void Run(void* context, size_t count, tinyenc_task task, void* task_context) {
    auto* pool = static_cast<FaultyPool*>(context);
    ++pool->runs;
    for (size_t i = 0; i < count; ++i) {
      size_t index = i;
      if (pool->fault == Fault::kSkipLast && i + 1 == count) continue;
      if (pool->fault == Fault::kRepeatFirst && i + 1 == count) index = 0;
      if (pool->fault == Fault::kSwap && i == 0) index = 1;  // 1 twice, 0 never
      if (pool->fault == Fault::kOutOfRange && i + 1 == count) index = count;
      task(task_context, index);
    }
  }
};

TEST_CASE("a pool breaking its contract fails the Encode; a bad pool is refused") {
  const GoldenModel loaded("tiny-f32");
  const EncoderConfig& config = loaded.model.config();
  const GoldenBatch batch("tiny", config);
  SizedSession sized(loaded.model, batch.max_rows, batch.inputs.size());
  Session& session = sized.session;

  FaultyPool faulty;
  TaskPool pool = {FaultyPool::Run, &faulty, 2, 1};
  REQUIRE(session.set_pool(&pool).ok());
  Status status = session.Encode(batch.inputs.data(), batch.inputs.size());
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(faulty.runs > 0);  // the split really used the pool
  for (const Fault fault : {Fault::kSkipLast, Fault::kRepeatFirst, Fault::kOutOfRange}) {
    CAPTURE(static_cast<int>(fault));
    faulty.fault = fault;
    status = session.Encode(batch.inputs.data(), batch.inputs.size());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(std::string(status.message()).find("pool") != std::string::npos);
  }
  // Running one index twice and skipping another keeps the call count: the
  // index sum tells (documented: balanced faults beyond that are not seen).
  faulty.fault = Fault::kSwap;
  status = session.Encode(batch.inputs.data(), batch.inputs.size());
  CHECK(status.code() == StatusCode::kInvalidArgument);

  TaskPool zero = pool;
  zero.threads = 0;
  CHECK(session.set_pool(&zero).code() == StatusCode::kInvalidArgument);
  TaskPool no_run = pool;
  no_run.run = nullptr;
  CHECK(session.set_pool(&no_run).code() == StatusCode::kInvalidArgument);
  // Refusals leave the pool as it was: still the faulty one.
  status = session.Encode(batch.inputs.data(), batch.inputs.size());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  REQUIRE(session.set_pool(nullptr).ok());
  status = session.Encode(batch.inputs.data(), batch.inputs.size());
  CHECK_MESSAGE(status.ok(), status.message());
}

TEST_CASE("ThreadPool runs every index once, for any count, and 0 threads means the cores") {
  ThreadPool pool(3);
  CHECK(pool.threads() == 3);
  CHECK(ThreadPool(0).threads() >= 1);
  for (size_t count : {0, 1, 2, 3, 7, 100}) {
    std::vector<int> hits(count, 0);
    pool.Run(count, [](void* context, size_t i) { ++static_cast<int*>(context)[i]; },
             hits.data());
    for (size_t i = 0; i < count; ++i) CHECK(hits[i] == 1);
  }
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
