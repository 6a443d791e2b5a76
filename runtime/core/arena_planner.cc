#include "runtime/core/arena_planner.h"

namespace tinyenc {
namespace {

size_t AlignUp(size_t n) { return (n + kArenaAlign - 1) / kArenaAlign * kArenaAlign; }

// Larger buffers are placed first; ties go by index so the plan depends on
// nothing but the list.
bool PlacedBefore(const ArenaBuffer* buffers, size_t i, size_t j) {
  return buffers[i].bytes > buffers[j].bytes || (buffers[i].bytes == buffers[j].bytes && i < j);
}

// Buffers already placed when buffers[i] is, that are alive at the same time.
bool Conflicts(const ArenaBuffer* buffers, size_t other, size_t i) {
  const bool alive_together =
      ((buffers[other].conflicts >> i) & 1u) || ((buffers[i].conflicts >> other) & 1u);
  return buffers[other].bytes != 0 && PlacedBefore(buffers, other, i) && alive_together;
}

// The lowest offset for buffers[i] that overlaps no conflicting buffer: 0 or
// the end of a conflicting buffer.
size_t LowestFreeOffset(const ArenaBuffer* buffers, size_t count, size_t i) {
  const size_t bytes = AlignUp(buffers[i].bytes);
  size_t best = static_cast<size_t>(-1);
  for (size_t c = 0; c <= count; ++c) {
    if (c < count && !Conflicts(buffers, c, i)) continue;
    const size_t candidate = c < count ? buffers[c].offset + AlignUp(buffers[c].bytes) : 0;
    if (candidate >= best) continue;
    bool fits = true;
    for (size_t o = 0; o < count && fits; ++o) {
      if (!Conflicts(buffers, o, i)) continue;
      fits = candidate + bytes <= buffers[o].offset ||
             buffers[o].offset + AlignUp(buffers[o].bytes) <= candidate;
    }
    if (fits) best = candidate;
  }
  return best;
}

}  // namespace

size_t PlanArena(ArenaBuffer* buffers, size_t count) {
  size_t arena = 0;
  size_t previous = count;
  for (size_t rank = 0; rank < count; ++rank) {
    // The next buffer in placement order.
    size_t i = count;
    for (size_t j = 0; j < count; ++j) {
      if (previous != count && !PlacedBefore(buffers, previous, j)) continue;
      if (i == count || PlacedBefore(buffers, j, i)) i = j;
    }
    previous = i;
    ArenaBuffer& buffer = buffers[i];
    buffer.offset = 0;
    if (buffer.bytes == 0) continue;
    buffer.offset = LowestFreeOffset(buffers, count, i);
    const size_t end = buffer.offset + AlignUp(buffer.bytes);
    if (end > arena) arena = end;
  }
  return arena;
}

}  // namespace tinyenc
