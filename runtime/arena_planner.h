// Offsets for buffers in one arena, reusing space between buffers whose
// lifetimes do not overlap. Lifetimes are inclusive step ranges of a fixed
// schedule, known before anything runs, so the plan is exact.
#ifndef TINYENC_RUNTIME_ARENA_PLANNER_H_
#define TINYENC_RUNTIME_ARENA_PLANNER_H_

#include <cstddef>

namespace tinyenc {

// Every buffer starts at a multiple of this, so SIMD loads of any target and
// the kernels' own scratch layouts stay aligned.
constexpr size_t kArenaAlign = 64;

struct ArenaBuffer {
  size_t bytes = 0;  // 0: unused, gets no space
  int first_step = 0;
  int last_step = 0;
  size_t offset = 0;  // output
};

// Places the buffers greedily, largest first, each at the lowest aligned
// offset where it overlaps no placed buffer that is alive at the same time
// (the approach of TFLite Micro's greedy planner). Returns the arena size.
// Runs in O(count^3) time and no extra memory; count is a few dozen at most.
size_t PlanArena(ArenaBuffer* buffers, size_t count);

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_ARENA_PLANNER_H_
