// Sessions: arena sizing, every bad call's status (with the arena left
// untouched), determinism across runs, sessions and threads, and batches
// against sequences encoded one at a time.
#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/encoder_test_util.h"

namespace tinyenc {
namespace test {
namespace {

TEST_CASE("arena sizing: exact bytes work, one byte fewer fails before touching anything") {
  const GoldenModel loaded("tiny-q8_0");
  const Model& model = loaded.model;
  const size_t context = model.config().context_length;
  size_t bytes = 0;
  CHECK(ArenaBytes(model, 0, 1, &bytes).code() == StatusCode::kBadSequenceLength);
  CHECK(ArenaBytes(model, context + 1, 1, &bytes).code() == StatusCode::kBadSequenceLength);
  CHECK(ArenaBytes(model, 8, 0, &bytes).code() == StatusCode::kBatchTooLarge);
  REQUIRE(ArenaBytes(model, context, 2, &bytes).ok());
  size_t smaller = 0;
  REQUIRE(ArenaBytes(model, context / 2, 2, &smaller).ok());
  CHECK(smaller < bytes);

  std::vector<uint8_t> arena(bytes + 1, 0xa5);
  Session session;
  const Status status = session.Init(model, arena.data(), bytes - 1, context, 2);
  CHECK(status.code() == StatusCode::kArenaTooSmall);
  CHECK(std::string(status.message()).find(std::to_string(bytes)) != std::string::npos);
  CHECK(std::all_of(arena.begin(), arena.end(), [](uint8_t v) { return v == 0xa5; }));
  CHECK(session.Encode(nullptr, 0).code() == StatusCode::kInvalidArgument);  // not initialized

  // Exactly ArenaBytes works from any base address.
  const GoldenBatch batch("tiny", model.config());
  for (size_t shift : {0, 1, 3}) {
    REQUIRE(session.Init(model, arena.data() + shift, bytes, context, 2).ok());
    CHECK(session.arena_used() == bytes);
    CHECK(session.Encode(batch.inputs.data(), 2).ok());
  }
}

TEST_CASE("bad calls return their status and leave the arena as it was") {
  const GoldenModel loaded("tiny-f32");
  const EncoderConfig& config = loaded.model.config();
  SizedSession sized(loaded.model, 16, 2);
  Session& session = sized.session;
  const std::vector<uint8_t> before = sized.arena;

  std::vector<int32_t> ids = {static_cast<int32_t>(config.cls_id), 7, 9,
                              static_cast<int32_t>(config.sep_id)};
  std::vector<int32_t> types(ids.size(), 0);
  SequenceInput input;
  input.token_ids = ids.data();
  input.type_ids = types.data();
  input.length = ids.size();
  SequenceInput batch[3] = {input, input, input};

  auto expect = [&](StatusCode code, const SequenceInput* inputs, size_t count) {
    const Status status = session.Encode(inputs, count);
    CHECK_MESSAGE(status.code() == code, status.message());
    CHECK(status.message()[0] != '\0');
    CHECK(sized.arena == before);
  };
  ids[2] = static_cast<int32_t>(config.vocab_size);
  expect(StatusCode::kTokenOutOfRange, &input, 1);
  ids[2] = -1;
  expect(StatusCode::kTokenOutOfRange, &input, 1);
  ids[2] = 9;
  types[1] = static_cast<int32_t>(config.token_type_count);
  expect(StatusCode::kTokenOutOfRange, &input, 1);
  types[1] = 0;
  SequenceInput empty = input;
  empty.length = 0;
  expect(StatusCode::kBadSequenceLength, &empty, 1);
  SequenceInput too_long = input;
  std::vector<int32_t> many(17, 5);
  too_long.token_ids = many.data();
  too_long.type_ids = nullptr;
  too_long.length = many.size();
  expect(StatusCode::kBadSequenceLength, &too_long, 1);
  expect(StatusCode::kBatchTooLarge, batch, 3);
  expect(StatusCode::kInvalidArgument, batch, 0);
  SequenceInput null_ids = input;
  null_ids.token_ids = nullptr;
  expect(StatusCode::kInvalidArgument, &null_ids, 1);
  // A bad sequence after a good one still rejects the whole batch untouched.
  SequenceInput mixed[2] = {input, empty};
  expect(StatusCode::kBadSequenceLength, mixed, 2);
  CHECK(session.Encode(batch, 2).ok());
}

TEST_CASE("the same input gives bit-identical outputs across runs, sessions and threads") {
  for (const char* name : {"tiny-q8_0", "widen-f16", "features-q4_0"}) {
    CAPTURE(name);
    const GoldenModel loaded(name);
    const EncoderConfig& config = loaded.model.config();
    const GoldenBatch batch(std::string(name).substr(0, std::string(name).find('-')), config);
    SizedSession first(loaded.model, batch.max_rows, batch.inputs.size());
    REQUIRE(first.session.Encode(batch.inputs.data(), batch.inputs.size()).ok());
    const std::vector<float> reference = SessionOutputs(first.session, config);
    REQUIRE(first.session.Encode(batch.inputs.data(), batch.inputs.size()).ok());
    CHECK(SessionOutputs(first.session, config) == reference);

    // One model, one session per thread.
    std::vector<std::vector<float>> results(2);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t) {
      threads.emplace_back([&, t] {
        SizedSession own(loaded.model, batch.max_rows, batch.inputs.size());
        for (int run = 0; run < 3; ++run) {
          if (!own.session.Encode(batch.inputs.data(), batch.inputs.size()).ok()) return;
        }
        results[t] = SessionOutputs(own.session, config);
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (const std::vector<float>& result : results) CHECK(result == reference);
  }
}

TEST_CASE("a batch gives each sequence what it gets alone") {
  for (const char* test_case : {"tiny", "pre_relu", "features"}) {
    for (const char* type : {"f32", "q8_0"}) {
      const std::string name = std::string(test_case) + "-" + type;
      CAPTURE(name);
      const GoldenModel loaded(name);
      const EncoderConfig& config = loaded.model.config();
      const GoldenBatch batch(test_case, config);
      SizedSession together(loaded.model, batch.max_rows, batch.inputs.size());
      REQUIRE(together.session.Encode(batch.inputs.data(), batch.inputs.size()).ok());
      SizedSession alone(loaded.model, batch.max_rows, 1);
      const size_t width = config.hidden_width();
      for (size_t b = 0; b < batch.inputs.size(); ++b) {
        REQUIRE(alone.session.Encode(&batch.inputs[b], 1).ok());
        const float* got = alone.session.Hidden(0);
        const float* want = together.session.Hidden(b);
        const size_t count = alone.session.Rows(0) * width;
        // Rows are independent in every kernel, but MatMul's tiles group
        // rows differently when M changes; sums keep their order, so the
        // results agree to the last bit.
        CHECK(std::memcmp(got, want, count * sizeof(float)) == 0);
      }
    }
  }
}

TEST_CASE("F9: an unloaded model and an unbound session report width 0") {
  const Model model;
  CHECK(model.config().hidden_width() == 0);
  const Session session;
  CHECK(session.hidden_width() == 0);
  CHECK(session.Hidden(0) == nullptr);
  size_t bytes = 1;
  CHECK(ArenaBytes(model, 8, 1, &bytes).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("F10: loading the model again under a session makes Encode fail until Init") {
  GoldenModel loaded("tiny-q8_0");
  const GoldenBatch batch("tiny", loaded.model.config());
  size_t bytes = 0;
  REQUIRE(ArenaBytes(loaded.model, batch.max_rows, 2, &bytes).ok());
  std::vector<uint8_t> arena(bytes);
  Session session;
  REQUIRE(session.Init(loaded.model, arena.data(), bytes, batch.max_rows, 2).ok());
  REQUIRE(session.Encode(batch.inputs.data(), 2).ok());
  const size_t width = session.hidden_width();

  // A failed load counts too: the state the session planned for is gone.
  CHECK(!loaded.model.Load(loaded.file.data(), 3).ok());
  Status status = session.Encode(batch.inputs.data(), 2);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(std::string(status.message()).find("loaded again") != std::string::npos);
  CHECK(session.hidden_width() == width);  // the outputs keep the shapes they were made with

  REQUIRE(loaded.model.Load(loaded.file.data(), loaded.file.size()).ok());
  CHECK(session.Encode(batch.inputs.data(), 2).code() == StatusCode::kInvalidArgument);
  REQUIRE(session.Init(loaded.model, arena.data(), bytes, batch.max_rows, 2).ok());
  CHECK(session.Encode(batch.inputs.data(), 2).ok());
}

TEST_CASE("two sessions given one arena: the earlier one's Encode fails") {
  const GoldenModel loaded("tiny-q8_0");
  const GoldenBatch batch("tiny", loaded.model.config());
  size_t bytes = 0;
  REQUIRE(ArenaBytes(loaded.model, batch.max_rows, 2, &bytes).ok());
  std::vector<uint8_t> arena(bytes);
  Session first, second;
  REQUIRE(first.Init(loaded.model, arena.data(), bytes, batch.max_rows, 2).ok());
  REQUIRE(first.Encode(batch.inputs.data(), 2).ok());
  REQUIRE(second.Init(loaded.model, arena.data(), bytes, batch.max_rows, 2).ok());
  const Status status = first.Encode(batch.inputs.data(), 2);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(std::string(status.message()).find("another Session") != std::string::npos);
  CHECK(second.Encode(batch.inputs.data(), 2).ok());
  // Init again takes the arena back.
  REQUIRE(first.Init(loaded.model, arena.data(), bytes, batch.max_rows, 2).ok());
  CHECK(first.Encode(batch.inputs.data(), 2).ok());
  CHECK(second.Encode(batch.inputs.data(), 2).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("set_pooling refuses a value outside the enum") {
  Session session;
  CHECK(session.set_pooling(static_cast<Pooling>(7)).code() == StatusCode::kInvalidArgument);
  CHECK(session.set_pooling(Pooling::kCls).ok());
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
