// The arena planner on its own: conflicting buffers never overlap, others
// share space, offsets are aligned, and the greedy order is largest first.
#include "runtime/core/arena_planner.h"

#include <cstdint>
#include <vector>

#include "doctest/doctest.h"

namespace tinyenc {
namespace {

// Buffers i and j conflict in both directions.
void Conflict(std::vector<ArenaBuffer>& buffers, size_t i, size_t j) {
  buffers[i].conflicts |= 1u << j;
  buffers[j].conflicts |= 1u << i;
}

bool Overlap(const ArenaBuffer& a, const ArenaBuffer& b) {
  return a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
}

// Every conflicting pair is disjoint and every buffer fits the arena.
void CheckPlan(const std::vector<ArenaBuffer>& buffers, size_t arena) {
  for (size_t i = 0; i < buffers.size(); ++i) {
    if (buffers[i].bytes == 0) continue;
    CHECK(buffers[i].offset % kArenaAlign == 0);
    CHECK(buffers[i].offset + buffers[i].bytes <= arena);
    for (size_t j = 0; j < buffers.size(); ++j) {
      if (i == j || buffers[j].bytes == 0 || !((buffers[i].conflicts >> j) & 1u)) continue;
      INFO("buffers ", i, " and ", j);
      CHECK_FALSE(Overlap(buffers[i], buffers[j]));
    }
  }
}

std::vector<ArenaBuffer> Sized(std::initializer_list<size_t> sizes) {
  std::vector<ArenaBuffer> buffers;
  for (size_t bytes : sizes) {
    ArenaBuffer buffer;
    buffer.bytes = bytes;
    buffers.push_back(buffer);
  }
  return buffers;
}

TEST_CASE("Buffers that are never alive together share offset 0") {
  auto buffers = Sized({1000, 640, 64});
  const size_t arena = PlanArena(buffers.data(), buffers.size());
  CHECK(arena == 1024);  // the largest, rounded up to the alignment
  for (const ArenaBuffer& buffer : buffers) CHECK(buffer.offset == 0);
}

TEST_CASE("Conflicting buffers are laid side by side, each aligned") {
  auto buffers = Sized({100, 200, 1});
  Conflict(buffers, 0, 1);
  Conflict(buffers, 1, 2);
  Conflict(buffers, 0, 2);
  const size_t arena = PlanArena(buffers.data(), buffers.size());
  // Largest first: 200 at 0, 100 at 256, 1 at 384.
  CHECK(buffers[1].offset == 0);
  CHECK(buffers[0].offset == 256);
  CHECK(buffers[2].offset == 384);
  CHECK(arena == 448);
  CheckPlan(buffers, arena);
}

TEST_CASE("A buffer reuses the space of one it does not conflict with") {
  // A chain a - b - c: a and c are never alive together, so c takes a's
  // place beside b rather than a third slot.
  auto buffers = Sized({512, 512, 512});
  Conflict(buffers, 0, 1);
  Conflict(buffers, 1, 2);
  const size_t arena = PlanArena(buffers.data(), buffers.size());
  CHECK(arena == 1024);
  CHECK(buffers[0].offset == buffers[2].offset);
  CHECK(buffers[1].offset != buffers[0].offset);
  CheckPlan(buffers, arena);
}

TEST_CASE("One side's conflict bit is enough") {
  auto buffers = Sized({64, 64});
  buffers[1].conflicts = 1u << 0;
  CHECK(PlanArena(buffers.data(), buffers.size()) == 128);
  CHECK(buffers[0].offset != buffers[1].offset);
}

TEST_CASE("Greedy order: largest first, ties by index; a gap below is filled") {
  // 0 (small) conflicts with 1 and 2 (large), which do not conflict with each
  // other: both large ones go to 0 and the small one above them.
  auto buffers = Sized({64, 4096, 4096, 0});
  Conflict(buffers, 0, 1);
  Conflict(buffers, 0, 2);
  Conflict(buffers, 3, 0);  // an unused buffer gets no space and no say
  const size_t arena = PlanArena(buffers.data(), buffers.size());
  CHECK(buffers[1].offset == 0);
  CHECK(buffers[2].offset == 0);
  CHECK(buffers[0].offset == 4096);
  CHECK(arena == 4096 + 64);
  CheckPlan(buffers, arena);
  // Between two placed buffers with a gap, a later small one takes the gap.
  auto gap = Sized({1024, 1024, 64, 128});
  Conflict(gap, 0, 1);
  Conflict(gap, 3, 0);
  Conflict(gap, 3, 1);
  Conflict(gap, 2, 3);
  const size_t gap_arena = PlanArena(gap.data(), gap.size());
  CheckPlan(gap, gap_arena);
  CHECK(gap_arena == 2048 + 128);
  CHECK(gap[2].offset == 0);  // conflicts only with 3, so it sits at 0
}

TEST_CASE("Random conflict sets: never an overlap, never beyond the sum") {
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int round = 0; round < 500; ++round) {
    const size_t count = 1 + next() % kMaxArenaBuffers;
    std::vector<ArenaBuffer> buffers(count);
    size_t sum = 0;
    for (ArenaBuffer& buffer : buffers) {
      buffer.bytes = next() % 5000;
      sum += (buffer.bytes + kArenaAlign - 1) / kArenaAlign * kArenaAlign;
    }
    for (size_t i = 0; i < count; ++i) {
      for (size_t j = i + 1; j < count; ++j) {
        if (next() % 3 == 0) Conflict(buffers, i, j);
      }
    }
    const size_t arena = PlanArena(buffers.data(), buffers.size());
    CHECK(arena <= sum);
    CheckPlan(buffers, arena);
  }
}

}  // namespace
}  // namespace tinyenc
