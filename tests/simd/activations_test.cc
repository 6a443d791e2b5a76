// Activations and Erf against double-precision references on every target.
#include "simd/activations.h"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::ForEachTarget;
using test::kInf;
using test::kOddSizes;
using test::MaxAbsError;
using test::MaxRelError;
using test::RandomFloats;

float FromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

uint32_t ToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

// lo, lo + step, ..., hi, computed in double so the points do not drift.
std::vector<float> Sweep(double lo, double hi, double step) {
  std::vector<float> x;
  const long steps = std::lround((hi - lo) / step);
  for (long k = 0; k <= steps; ++k) x.push_back(static_cast<float>(lo + k * step));
  return x;
}

// Every float in [lo, hi] and its negation.
void AppendEveryFloat(float lo, float hi, std::vector<float>* x) {
  for (uint32_t bits = ToBits(lo); bits <= ToBits(hi); ++bits) {
    x->push_back(FromBits(bits));
    x->push_back(-FromBits(bits));
  }
}

// Random bit patterns: every exponent is equally likely, so this covers the
// whole finite range up to +-FLT_MAX, subnormals included.
void AppendRandomFiniteFloats(size_t count, uint32_t seed, std::vector<float>* x) {
  std::mt19937 rng(seed);
  while (count != 0) {
    const float f = FromBits(static_cast<uint32_t>(rng()));
    if (!std::isfinite(f)) continue;
    x->push_back(f);
    --count;
  }
}

// ARMv7's Advanced SIMD always flushes subnormal inputs and results to zero.
bool FlushesSubnormals(const std::string& target) { return HWY_ARCH_ARM_V7 && target == "NEON"; }

// Below this, relative errors are measured as absolute errors / floor: from
// FLT_MIN, relative accuracy is checked wherever the result is a normal float;
// where subnormals flush to zero, FLT_MIN / 1e-7 counts a result that
// became 0 as an error of at most 1e-7.
double NormalFloor(const std::string& target) {
  return FlushesSubnormals(target) ? FLT_MIN / 1e-7 : FLT_MIN;
}

// max |got - want| and max |got - want| / max(|want|, floor) against double
// values (test_util's metrics take float references, whose own rounding would
// hide part of what is measured here).
struct Errors {
  double abs = 0.0;
  double rel = 0.0;
};
Errors MeasureErrors(const std::vector<float>& got, const std::vector<double>& want, double floor) {
  Errors e;
  for (size_t i = 0; i < got.size(); ++i) {
    const double err = std::fabs(got[i] - want[i]);
    const double rel = err / std::fmax(std::fabs(want[i]), floor);
    e.abs = test::WorseError(e.abs, err);
    e.rel = test::WorseError(e.rel, rel);
  }
  return e;
}

TEST_CASE("Erf: absolute error <= 1e-6 over the whole float range") {
  std::vector<float> x = Sweep(-10.0, 10.0, 1e-5);
  AppendEveryFloat(0.49f, 0.51f, &x);  // where the series hands over to erfc
  AppendRandomFiniteFloats(1 << 20, 11, &x);
  for (float f : {0.0f, FLT_MIN, FLT_TRUE_MIN, 1e-30f, 3.9f, 4.0f, 9.0f, 10.0f, 1e10f, FLT_MAX}) {
    x.push_back(f);
    x.push_back(-f);
  }
  std::vector<double> want(x.size());
  for (size_t i = 0; i < x.size(); ++i) want[i] = std::erf(static_cast<double>(x[i]));

  ForEachTarget([&](const char* target) {
    std::vector<float> got(x.size());
    Erf(x.data(), got.data(), x.size());
    const Errors e = MeasureErrors(got, want, NormalFloor(target));
    MESSAGE(std::string(target), ": Erf max abs error ", e.abs, ", max rel error ", e.rel);
    // The contract in activations.h. The approximation reaches ~3.5e-7 (fit
    // 3e-8 plus a few f32 roundings in t, Q(t) and exp), so a wrong coefficient
    // or branch fails this.
    CHECK(e.abs <= 1e-6);
    // Near 0 the series keeps relative accuracy (a few ulp); elsewhere the
    // erfc error above is divided by erf >= 0.52. 1e-6 still fails a version
    // that computes 1 - erfc near 0 (relative error ~1 there).
    CHECK(e.rel <= 1e-6);

    float edges[] = {kInf, -kInf, 0.0f, -0.0f};
    Erf(edges, edges, 4);  // in place
    CHECK(edges[0] == 1.0f);
    CHECK(edges[1] == -1.0f);
    CHECK(edges[2] == 0.0f);
    CHECK(edges[3] == 0.0f);
    CHECK(std::signbit(edges[3]));  // odd function
  });
}

// Runs kernel on every target over x, split into calls of the given sizes
// (so vector tails are exercised), and checks the relative error against ref
// (floor, or NormalFloor if larger, turns it absolute where |ref| < floor).
template <class Kernel, class Ref>
void CheckAgainstRef(Kernel kernel, Ref ref, const std::vector<float>& x,
                     const std::vector<size_t>& call_sizes, double floor, double tolerance,
                     const char* what) {
  std::vector<float> want = x;
  ref(want.data(), want.size());
  ForEachTarget([&](const char* target) {
    std::vector<float> got = x;
    size_t begin = 0;
    for (size_t n : call_sizes) {
      REQUIRE(begin + n <= got.size());
      kernel(got.data() + begin, n);
      begin += n;
    }
    REQUIRE(begin == got.size());
    const double target_floor = std::fmax(floor, NormalFloor(target));
    const double err = MaxRelError(got.data(), want.data(), got.size(), target_floor);
    MESSAGE(std::string(target), ": ", std::string(what), " max rel error ", err, " (floor ",
            target_floor, ")");
    CHECK(err <= tolerance);
  });
}

TEST_CASE("GeluErf matches its reference in relative error, tails included") {
  // Main range: the erfc approximation (3.5e-7) plus a^2 = x^2 / 2 <= 12.5
  // rounded once, which exp turns into 12.5 * 2^-24 = 7.5e-7 relative; a few
  // more roundings: 2e-6.
  const auto main_range = Sweep(-5.0, 20.0, 1e-4);
  CheckAgainstRef(GeluErf, GeluErfRef, main_range, {main_range.size()}, FLT_MIN, 2e-6,
                  "GeluErf on [-5, 20]");
  // Far negative tail, values down to 1e-38: the rounding of a^2 <= 87 costs
  // up to 87 * 2^-24 = 5.2e-6 relative, plus the 2e-6 above. A version with
  // cancellation (1 + erf) has relative error 1 out here.
  const auto tail = Sweep(-20.0, -5.0, 1e-4);
  CheckAgainstRef(GeluErf, GeluErfRef, tail, {tail.size()}, FLT_MIN, 8e-6, "GeluErf on [-20, -5]");
}

TEST_CASE("GeluTanh matches its reference in relative error, tails included") {
  // GeluTanhRef computes 1 + tanh(u) in double, which cancels to an absolute
  // error ~|x| * 1e-16; a 1e-7 floor keeps that below 1e-8 of what is checked.
  // The kernel's error is dominated by u, which is rounded ~3 times: exp(-2|u|)
  // then has relative error ~6 |u| 2^-24, i.e. 7e-6 at x = -5.5 where the
  // result reaches the floor; beyond that it is measured against the floor.
  const auto x = Sweep(-20.0, 20.0, 1e-4);
  CheckAgainstRef(GeluTanh, GeluTanhRef, x, {x.size()}, 1e-7, 8e-6, "GeluTanh on [-20, 20]");
}

TEST_CASE("GeluTanhForCodes is within 1e-5 absolute of GELU, the table's pieces included") {
  // The M4's table: chords over pieces h = 10 / 1022 wide, off by at most
  // h^2 / 8 * 0.8 = 9.6e-6 (gelu_chords.h); elsewhere GeluTanh (8e-6
  // relative). The sweep puts ~50 points in every piece and fits the
  // boards; the extremes check the end pieces far out.
  auto x = Sweep(-6.0, 6.0, 2e-4);
  for (float extreme : {-FLT_MAX, -1e20f, 1e20f, FLT_MAX}) x.push_back(extreme);
  std::vector<float> want = x;
  GeluTanhRef(want.data(), want.size());
  ForEachTarget([&](const char* target) {
    std::vector<float> got = x;
    GeluTanhForCodes(got.data(), got.size());
    const double err = MaxAbsError(got.data(), want.data(), got.size());
    MESSAGE(target, ": GeluTanhForCodes max abs error ", err);
    CHECK(err <= 1e-5);
    float limits[] = {kInf, -kInf, std::nanf(""), 0.0f, -0.0f};
    GeluTanhForCodes(limits, std::size(limits));
    CHECK(limits[0] == kInf);
    CHECK(limits[1] == 0.0f);
    CHECK(std::isnan(limits[2]));
    CHECK(limits[3] == 0.0f);
    CHECK(limits[4] == 0.0f);
  });
}

TEST_CASE("GELU and ReLU on every vector size, with odd tails") {
  const std::vector<size_t> sizes(std::begin(kOddSizes), std::end(kOddSizes));
  size_t total = 0;
  for (size_t n : sizes) total += n;
  const auto x = RandomFloats(total, 12, -10.0f, 10.0f);
  // Tolerances as in the sweeps above, which cover this range.
  CheckAgainstRef(GeluErf, GeluErfRef, x, sizes, FLT_MIN, 8e-6, "GeluErf, all sizes");
  CheckAgainstRef(GeluTanh, GeluTanhRef, x, sizes, 1e-7, 8e-6, "GeluTanh, all sizes");
  CheckAgainstRef(Relu, ReluRef, x, sizes, 1.0, 0.0, "Relu, all sizes");  // exact
}

TEST_CASE("F8: GELU of NaN is NaN and leaves the other lanes alone, on every target") {
  // Highway's Exp of NaN was undefined on EMU128; the kernels keep NaN out.
  ForEachTarget([](const char* target) {
    for (auto gelu : {GeluErf, GeluTanh}) {
      std::vector<float> v = RandomFloats(37, 3, -4.0f, 4.0f);
      std::vector<float> want = v;
      gelu(want.data(), want.size());
      for (size_t i = 0; i < v.size(); i += 5) v[i] = std::nanf("");
      gelu(v.data(), v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        INFO(target, " lane ", i);
        if (i % 5 == 0) {
          CHECK(std::isnan(v[i]));
        } else {
          CHECK(v[i] == want[i]);
        }
      }
    }
  });
}

TEST_CASE("GELU and ReLU at the extremes: limits, never NaN") {
  ForEachTarget([](const char* target) {
    for (auto gelu : {GeluErf, GeluTanh}) {
      float v[] = {kInf, -kInf, FLT_MAX, -FLT_MAX, 1e20f, -1e20f, 0.0f, -0.0f, FLT_TRUE_MIN};
      gelu(v, sizeof(v) / sizeof(v[0]));
      CHECK(v[0] == kInf);
      CHECK(v[1] == 0.0f);  // the limit, where PyTorch gives -inf * 0 = NaN
      CHECK(v[2] == FLT_MAX);
      CHECK(v[3] == 0.0f);
      CHECK(v[4] == 1e20f);
      CHECK(v[5] == 0.0f);
      CHECK(v[6] == 0.0f);
      CHECK(v[7] == 0.0f);
      CHECK(v[8] >= 0.0f);  // x/2 is below the smallest subnormal
    }
    float v[] = {kInf, -kInf, FLT_MAX, -FLT_MAX, -0.0f, FLT_TRUE_MIN, -FLT_TRUE_MIN};
    Relu(v, sizeof(v) / sizeof(v[0]));
    CHECK(v[0] == kInf);
    CHECK(v[1] == 0.0f);
    CHECK(v[2] == FLT_MAX);
    CHECK(v[3] == 0.0f);
    CHECK(v[4] == 0.0f);
    CHECK(v[5] == (FlushesSubnormals(target) ? 0.0f : FLT_TRUE_MIN));
    CHECK(v[6] == 0.0f);
  });
}

}  // namespace
}  // namespace tinyenc
