// Timing shared by the benchmarks.
#ifndef TINYENC_TOOLS_BENCH_UTIL_H_
#define TINYENC_TOOLS_BENCH_UTIL_H_

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

namespace tinyenc {

// Median seconds per call of fn over `samples` samples, each sample running
// long enough (>= 2 ms) to time.
inline double MedianSeconds(const std::function<void()>& fn, int samples) {
  using Clock = std::chrono::steady_clock;
  fn();  // warm caches and page in
  size_t calls = 1;
  for (;;) {
    const auto start = Clock::now();
    for (size_t i = 0; i < calls; ++i) fn();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed > 2e-3 || calls > (1u << 20)) break;
    calls *= 2;
  }
  std::vector<double> times;
  for (int s = 0; s < samples; ++s) {
    const auto start = Clock::now();
    for (size_t i = 0; i < calls; ++i) fn();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count() / calls);
  }
  std::nth_element(times.begin(), times.begin() + samples / 2, times.end());
  return times[samples / 2];
}

}  // namespace tinyenc

#endif  // TINYENC_TOOLS_BENCH_UTIL_H_
