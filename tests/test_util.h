// Helpers shared by the test suites: SIMD target iteration, error metrics,
// deterministic random data.
#ifndef TINYENC_TESTS_TEST_UTIL_H_
#define TINYENC_TESTS_TEST_UTIL_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "hwy/highway.h"
#include "hwy/targets.h"
#include "tests/skip.h"

// INFO and CAPTURE print a C string as its text, not its address (doctest's
// own switch for this does not compile with GCC 12 in this version).
template <>
struct doctest::StringMaker<const char*> {
  static doctest::String convert(const char* text) { return text != nullptr ? text : "(null)"; }
};

namespace tinyenc {
namespace test {

// Runs fn(target_name) once per SIMD target that is compiled in and that this
// CPU supports, with dispatch forced to that target. Static (header-only)
// builds have exactly one target.
template <class Fn>
void ForEachTarget(const Fn& fn) {
#if TINYENC_HWY_DYNAMIC
  const std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  REQUIRE(!targets.empty());
  for (int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    const std::string name = hwy::TargetName(target);
    INFO("SIMD target ", name);
    fn(name.c_str());
  }
  hwy::SetSupportedTargetsForTest(0);
#else
  const std::string name = hwy::TargetName(HWY_STATIC_TARGET);
  INFO("SIMD target ", name);
  fn(name.c_str());
#endif
}

// Vector lengths below, at and past every SIMD width, with odd tails.
constexpr size_t kOddSizes[] = {1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 64, 100, 384, 1001};

constexpr float kInf = HUGE_VALF;

// The worse of a running worst error and a new one, where a NaN is
// infinitely bad. std::max and std::fmax drop a NaN, and
// `if (!(e <= worst)) worst = e` loses it again at the next finite e.
inline double WorseError(double worst, double error) {
  if (std::isnan(error) || std::isnan(worst)) return HUGE_VAL;
  return error > worst ? error : worst;
}

// The lower of a running minimum cosine and a new one; a NaN is -infinity.
inline double WorseCosine(double least, double cosine) {
  if (std::isnan(cosine) || std::isnan(least)) return -HUGE_VAL;
  return cosine < least ? cosine : least;
}

// max_i |got_i - want_i| / max(|want_i|, floor): relative error that turns
// absolute near zero.
inline double MaxRelError(const float* got, const float* want, size_t count,
                          double floor = 1.0) {
  double worst = 0.0;
  for (size_t i = 0; i < count; ++i) {
    const double err = std::fabs(static_cast<double>(got[i]) - want[i]) /
                       std::fmax(std::fabs(static_cast<double>(want[i])), floor);
    worst = WorseError(worst, err);
  }
  return worst;
}

inline double MaxAbsError(const float* got, const float* want, size_t count) {
  double worst = 0.0;
  for (size_t i = 0; i < count; ++i) {
    const double err = std::fabs(static_cast<double>(got[i]) - want[i]);
    worst = WorseError(worst, err);
  }
  return worst;
}

// Normalized mean squared error sum (got - want)^2 / sum want^2, the metric
// ggml's backend tests use.
inline double Nmse(const float* got, const float* want, size_t count) {
  double err = 0.0, ref = 0.0;
  for (size_t i = 0; i < count; ++i) {
    const double diff = static_cast<double>(got[i]) - want[i];
    err += diff * diff;
    ref += static_cast<double>(want[i]) * want[i];
  }
  return ref > 0.0 ? err / ref : err;
}

inline std::vector<float> RandomFloats(size_t count, uint32_t seed, float lo = -1.0f,
                                       float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(count);
  for (float& x : v) x = dist(rng);
  return v;
}

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_TEST_UTIL_H_
