// Offsets for buffers in one arena, reusing space between buffers that are
// never alive at the same time. Which buffers conflict comes from the
// caller's schedule, known before anything runs, so the plan is exact.
#ifndef TINYENC_RUNTIME_CORE_ARENA_PLANNER_H_
#define TINYENC_RUNTIME_CORE_ARENA_PLANNER_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {

// Every buffer starts at a multiple of this, so SIMD loads of any target and
// the kernels' own scratch layouts stay aligned.
constexpr size_t kArenaAlign = 64;

// At most this many buffers, so a conflict set fits one mask.
constexpr size_t kMaxArenaBuffers = 32;

struct ArenaBuffer {
  size_t bytes = 0;        // 0: unused, gets no space
  uint32_t conflicts = 0;  // bit j: alive at some time when buffer j is
  size_t offset = 0;       // output
};

// Places the buffers greedily, largest first (ties by index), each at the
// lowest aligned offset where it overlaps no placed buffer it conflicts with
// (the approach of TFLite Micro's greedy planner). Returns the arena size.
// `count` is at most kMaxArenaBuffers; conflicts need not be symmetric (either
// side's bit counts). O(count^3) time, no extra memory.
size_t PlanArena(ArenaBuffer* buffers, size_t count);

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_CORE_ARENA_PLANNER_H_
