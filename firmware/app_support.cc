#include "app_support.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" uint32_t __stack_top__;  // the linker script's top of RAM

namespace {
bool heap_closed = false;
constexpr uint32_t kStackPaint = 0x5AC4ED5Au;
uint32_t* painted_bottom = nullptr;
}  // namespace

extern "C" void* __real__sbrk(ptrdiff_t increment);
// Linked with -Wl,--wrap=_sbrk.
extern "C" void* __wrap__sbrk(ptrdiff_t increment) {
  if (!heap_closed) return __real__sbrk(increment);
  std::fputs("FAIL: heap use after start-up (_sbrk)\n", stdout);
  std::_Exit(3);
}

namespace firmware {

void CloseHeap() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  heap_closed = true;
}

int Fail(const char* what, const tinyenc::Status& status) {
  std::printf("FAIL: %s: %s\n", what, status.message());
  return 1;
}

void PrintFixed(float value) {
  if (value - value != 0.0f) {  // NaN or infinite: the comparison must fail, not misparse
    std::printf(" nan");
    return;
  }
  const float scaled = value * 1e6f;
  const long micros = static_cast<long>(scaled < 0 ? scaled - 0.5f : scaled + 0.5f);
  const unsigned long magnitude = static_cast<unsigned long>(micros < 0 ? -micros : micros);
  std::printf(" %s%lu.%06lu", micros < 0 ? "-" : "", magnitude / 1000000, magnitude % 1000000);
}

// Not inlined, so its own frame lies below the caller's and the painting
// stops short of it (a margin of 256 bytes covers this frame).
__attribute__((noinline)) void PaintStack(size_t bytes) {
  uint32_t here;
  uint32_t* const top = &here - 64;
  painted_bottom = top - bytes / sizeof(uint32_t);
  for (volatile uint32_t* word = painted_bottom; word < top; ++word) *word = kStackPaint;
}

size_t StackBytesUsed() {
  if (painted_bottom == nullptr || *painted_bottom != kStackPaint) return 0;
  const uint32_t* word = painted_bottom;
  while (*word == kStackPaint) ++word;
  return reinterpret_cast<uintptr_t>(&__stack_top__) - reinterpret_cast<uintptr_t>(word);
}

}  // namespace firmware
