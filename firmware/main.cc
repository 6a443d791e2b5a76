// Cortex-M firmware: encodes a fixed token sequence with the Q8_0 model held
// in flash and prints the final hidden states, the pooled embedding and the arena bytes over
// semihosting. The Model, the Session and the arena are static; the arena's
// size comes from the runtime's planner at build time (firmware_arena.h).
// Nothing touches the heap once main starts (firmware::CloseHeap).
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "app_support.h"
#include "firmware_arena.h"
#include "simd/targets.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"

extern "C" const unsigned char firmware_model[];
extern "C" const size_t firmware_model_size;

namespace {

constexpr int32_t kTokenIds[] = {FIRMWARE_TOKEN_IDS};
constexpr size_t kTokenCount = sizeof(kTokenIds) / sizeof(kTokenIds[0]);
static_assert(kTokenCount <= FIRMWARE_MAX_ROWS, "the arena is planned for fewer rows");

tinyenc::Model model;
tinyenc::Session session;
alignas(64) unsigned char arena[FIRMWARE_ARENA_BYTES];

}  // namespace

int main() {
  firmware::CloseHeap();
  tinyenc::Status status = model.Load(firmware_model, firmware_model_size);
  if (!status.ok()) return firmware::Fail("load", status);
  status = session.Init(model, arena, sizeof(arena), FIRMWARE_MAX_ROWS, 1, FIRMWARE_TILE_ROWS);
  if (!status.ok()) return firmware::Fail("init", status);
  session.set_pooling(tinyenc::Pooling::kMean);

  tinyenc::SequenceInput input;
  input.token_ids = kTokenIds;
  input.length = kTokenCount;
  status = session.Encode(&input, 1);
  if (!status.ok()) return firmware::Fail("encode", status);

  std::printf("SIMD target: %s\n", tinyenc::ActiveTargetName());
  std::printf("arena bytes: %lu (static buffer %lu, planned at build time for %d rows)\n",
              static_cast<unsigned long>(session.arena_used()),
              static_cast<unsigned long>(sizeof(arena)), FIRMWARE_MAX_ROWS);
  // Every value printed here is compared with a host build's
  // (firmware/compare_with_host.py).
  const size_t width = session.hidden_width();
  std::printf("hidden %lu %lu:", static_cast<unsigned long>(session.Rows(0)),
              static_cast<unsigned long>(width));
  const float* hidden = session.Hidden(0);
  for (size_t i = 0; i < session.Rows(0) * width; ++i) firmware::PrintFixed(hidden[i]);
  std::printf("\n");
  std::printf("embedding %lu:", static_cast<unsigned long>(width));
  const float* embedding = session.Embedding(0);
  for (size_t i = 0; i < width; ++i) firmware::PrintFixed(embedding[i]);
  std::printf("\n");
  return 0;
}
