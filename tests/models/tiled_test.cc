// Tiled plans (ArenaBytes' tile_rows): on every golden case, weight type and
// SIMD target, tiles of 1, 3 and 8 rows give the whole-sequence plan's
// outputs bit for bit, on 1 and 3 threads (the split forced down to the
// smallest tasks), in arenas of exactly the planned size. Built with
// -Dpoison_arena=true, every byte outside a buffer's planned lifetime is NaN
// while the steps run, so a lifetime the planner got wrong for the tile loops
// shows here as a difference.
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

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST_CASE("tiles of 1, 3 and 8 rows give the whole plan's outputs bit for bit") {
  const std::vector<std::string> cases = EncoderCases();
  REQUIRE(cases.size() >= 7);
  ThreadPool three(3);
  TaskPool pool = three.task_pool();
  pool.min_task_work = 1;
  ForEachTarget([&](const char*) {
    ForEachGoldenModel(cases, [&](const std::string&, const std::string&,
                                  const GoldenModel& loaded, const GoldenBatch& batch) {
      const EncoderConfig& config = loaded.model.config();
      const size_t sequences = batch.inputs.size();
      bool widens = false;
      for (uint32_t i = 0; i < config.layer_count; ++i) {
        widens |= config.layers[i].input_width != config.layers[i].width;
      }
      auto encode = [&](Session& session, const TaskPool* on) {
        if (config.pooling == Pooling::kNone) REQUIRE(session.set_pooling(Pooling::kMean).ok());
        REQUIRE(session.set_pool(on).ok());
        const Status status = session.Encode(batch.inputs.data(), sequences);
        REQUIRE_MESSAGE(status.ok(), status.message());
        return SessionOutputs(session, config);
      };
      SizedSession whole(loaded.model, batch.max_rows, sequences);
      const std::vector<float> expected = encode(whole.session, nullptr);
      for (size_t tile_rows : {1, 3, 8}) {
        CAPTURE(tile_rows);
        SizedSession tiled(loaded.model, batch.max_rows, sequences, tile_rows);
        // Widening layers run whole, so their models may keep the whole
        // plan; the others' tiles leave rows out of the FFN.
        if (widens) {
          CHECK(tiled.session.arena_used() <= whole.session.arena_used());
        } else {
          CHECK(tiled.session.arena_used() < whole.session.arena_used());
        }
        CHECK(SameBits(encode(tiled.session, nullptr), expected));
        CHECK(SameBits(encode(tiled.session, &pool), expected));
      }
    });
  });
}

TEST_CASE("tiles of all the rows or more are the whole plan; a tiled arena is exact") {
  const GoldenModel loaded("tiny-q8_0");
  const Model& model = loaded.model;
  const size_t context = model.config().context_length;
  size_t whole = 0, tiles_of_all = 0, tiled = 0;
  REQUIRE(ArenaBytes(model, context, 2, &whole).ok());
  REQUIRE(ArenaBytes(model, context, 2, &tiles_of_all, 2 * context).ok());
  CHECK(tiles_of_all == whole);
  REQUIRE(ArenaBytes(model, context, 2, &tiled, 4).ok());
  REQUIRE(tiled < whole);
  // The report names the tiles the plan uses.
  ArenaReport report;
  REQUIRE(ReportArena(model, context, 2, &report, 2 * context).ok());
  CHECK(report.tile_rows == 0);
  REQUIRE(ReportArena(model, context, 2, &report, 4).ok());
  CHECK(report.tile_rows == 4);
  CHECK(report.planned_bytes == tiled);

  std::vector<uint8_t> arena(tiled);
  Session session;
  CHECK(session.Init(model, arena.data(), tiled - 1, context, 2, 4).code() ==
        StatusCode::kArenaTooSmall);
  // The whole plan does not fit the tiled arena.
  CHECK(session.Init(model, arena.data(), tiled, context, 2).code() ==
        StatusCode::kArenaTooSmall);
  REQUIRE(session.Init(model, arena.data(), tiled, context, 2, 4).ok());
  CHECK(session.arena_used() == tiled);
  const GoldenBatch batch("tiny", model.config());
  CHECK(session.Encode(batch.inputs.data(), 2).ok());
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
