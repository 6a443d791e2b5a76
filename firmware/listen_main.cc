// Cortex-M keyword spotting: classifies the one-second clip held in flash
// with the keyword model held in flash (KWT-1, converted at build time) and
// prints the label, the logits, the arena bytes, the stack's depth and the
// instructions one Listen took (meaningful under QEMU's -icount shift=0,
// see instruction_clock.h). The Model, the Session and the arena are
// static, the arena sized by the runtime's planner at build time
// (firmware_arena.h); no heap once main starts (firmware::CloseHeap).
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "app_support.h"
#include FIRMWARE_ARENA_HEADER  // kwt_arena_<type>.h, from plan_arena
#include "instruction_clock.h"
#include "simd/targets.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"

extern "C" const unsigned char firmware_model[];
extern "C" const size_t firmware_model_size;
// 16-bit little-endian mono PCM at the model's rate (embed_file.py --wav).
extern "C" const unsigned char firmware_clip[];
extern "C" const size_t firmware_clip_size;

namespace {

tinyenc::Model model;
tinyenc::Session session;
alignas(64) unsigned char arena[FIRMWARE_ARENA_BYTES];

// Deeper than any stack seen (printed by the run), small beside the RAM.
constexpr size_t kStackProbeBytes = 32 * 1024;

void PrintLabel(size_t index) {
  const char* name = "?";
  size_t size = 1;
  model.Label(index, &name, &size);
  std::printf("%.*s", static_cast<int>(size), name);
}

}  // namespace

int main() {
  firmware::CloseHeap();
  firmware::StartInstructionClock();
  tinyenc::Status status = model.Load(firmware_model, firmware_model_size);
  if (!status.ok()) return firmware::Fail("load", status);
  status = session.Init(model, arena, sizeof(arena), FIRMWARE_MAX_ROWS, 1, FIRMWARE_TILE_ROWS);
  if (!status.ok()) return firmware::Fail("init", status);

  // The clip's bytes are 64-byte aligned (embed_file.py).
  const auto* samples = reinterpret_cast<const int16_t*>(firmware_clip);
  firmware::PaintStack(kStackProbeBytes);
  const uint64_t start = firmware::InstructionsNow();
  status = session.Listen(samples, firmware_clip_size / sizeof(int16_t));
  const uint64_t instructions = firmware::InstructionsNow() - start;
  if (!status.ok()) return firmware::Fail("listen", status);

  std::printf("SIMD target: %s\n", tinyenc::ActiveTargetName());
  std::printf("arena bytes: %lu (static buffer %lu, planned at build time for %d rows, tiles "
              "of %d)\n",
              static_cast<unsigned long>(session.arena_used()),
              static_cast<unsigned long>(sizeof(arena)), FIRMWARE_MAX_ROWS, FIRMWARE_TILE_ROWS);
  std::printf("stack bytes: %lu\n", static_cast<unsigned long>(firmware::StackBytesUsed()));
  std::printf("instructions per Listen: %lu.%06lu million\n",  // nano has no %llu
              static_cast<unsigned long>(instructions / 1000000),
              static_cast<unsigned long>(instructions % 1000000));
  // Compared with a host build's `tinyenc listen --json` (compare_with_host.py).
  const size_t count = model.audio().label_count;
  const float* logits = session.Logits(0);
  size_t top = 0;
  for (size_t i = 1; i < count; ++i) {
    if (logits[i] > logits[top]) top = i;
  }
  std::printf("label: ");
  PrintLabel(top);
  std::printf("\nlogits %lu:", static_cast<unsigned long>(count));
  for (size_t i = 0; i < count; ++i) firmware::PrintFixed(logits[i]);
  std::printf("\n");
  return 0;
}
