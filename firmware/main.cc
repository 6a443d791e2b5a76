// Cortex-M firmware: encodes a fixed token sequence with the Q8_0 model held
// in flash and prints the final hidden states, the pooled embedding and the arena bytes over
// semihosting. The Model, the Session and the arena are static; the arena's
// size comes from the runtime's planner at build time (firmware_arena.h).
// Nothing touches the heap once main starts: _sbrk is wrapped
// (-Wl,--wrap=_sbrk) to stop the run if anything asks for heap memory then.
// Before main, newlib's stdio set-up allocates its FILE structures.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "firmware_arena.h"
#include "simd/targets.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"

extern "C" const unsigned char firmware_model[];
extern "C" const size_t firmware_model_size;

namespace {
bool heap_closed = false;
}  // namespace

extern "C" void* __real__sbrk(ptrdiff_t increment);
extern "C" void* __wrap__sbrk(ptrdiff_t increment) {
  if (!heap_closed) return __real__sbrk(increment);
  std::fputs("FAIL: heap use after start-up (_sbrk)\n", stdout);
  std::_Exit(3);
}

namespace {

constexpr int32_t kTokenIds[] = {FIRMWARE_TOKEN_IDS};
constexpr size_t kTokenCount = sizeof(kTokenIds) / sizeof(kTokenIds[0]);
static_assert(kTokenCount <= FIRMWARE_MAX_ROWS, "the arena is planned for fewer rows");

tinyenc::Model model;
tinyenc::Session session;
alignas(64) unsigned char arena[FIRMWARE_ARENA_BYTES];

int Fail(const char* what, const tinyenc::Status& status) {
  std::printf("FAIL: %s: %s\n", what, status.message());
  return 1;
}

// newlib-nano's printf has no floating point, so values are printed as fixed
// point with six decimals (rounding error 5e-7, far below the comparison's
// tolerance).
void PrintFixed(float value) {
  const float scaled = value * 1e6f;
  const long micros = static_cast<long>(scaled < 0 ? scaled - 0.5f : scaled + 0.5f);
  const unsigned long magnitude = static_cast<unsigned long>(micros < 0 ? -micros : micros);
  std::printf(" %s%lu.%06lu", micros < 0 ? "-" : "", magnitude / 1000000, magnitude % 1000000);
}

}  // namespace

int main() {
  // Unbuffered stdout: stdio then never allocates a buffer from the heap.
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  heap_closed = true;
  tinyenc::Status status = model.Load(firmware_model, firmware_model_size);
  if (!status.ok()) return Fail("load", status);
  status = session.Init(model, arena, sizeof(arena), FIRMWARE_MAX_ROWS, 1);
  if (!status.ok()) return Fail("init", status);
  session.set_pooling(tinyenc::Pooling::kMean);

  tinyenc::SequenceInput input;
  input.token_ids = kTokenIds;
  input.length = kTokenCount;
  status = session.Encode(&input, 1);
  if (!status.ok()) return Fail("encode", status);

  std::printf("SIMD target: %s\n", tinyenc::ActiveTargetName());
  std::printf("arena bytes: %lu (static buffer %lu, planned at build time for %d rows)\n",
              static_cast<unsigned long>(session.arena_used()),
              static_cast<unsigned long>(sizeof(arena)), FIRMWARE_MAX_ROWS);
  // Every value printed here is compared with a host build's
  // (firmware/compare_embedding.py).
  const size_t width = session.hidden_width();
  std::printf("hidden %lu %lu:", static_cast<unsigned long>(session.Rows(0)),
              static_cast<unsigned long>(width));
  const float* hidden = session.Hidden(0);
  for (size_t i = 0; i < session.Rows(0) * width; ++i) PrintFixed(hidden[i]);
  std::printf("\n");
  std::printf("embedding %lu:", static_cast<unsigned long>(width));
  const float* embedding = session.Embedding(0);
  for (size_t i = 0; i < width; ++i) PrintFixed(embedding[i]);
  std::printf("\n");
  return 0;
}
