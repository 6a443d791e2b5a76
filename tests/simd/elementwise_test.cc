// Element-wise helpers against their scalar references on every target.
#include "simd/elementwise.h"

#include <vector>

#include "doctest/doctest.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::ForEachTarget;
using test::kOddSizes;
using test::MaxRelError;
using test::RandomFloats;


TEST_CASE("Add matches the reference exactly") {
  ForEachTarget([](const char*) {
    for (size_t n : kOddSizes) {
      const auto a = RandomFloats(3 * n, 1), b = RandomFloats(3 * n, 2);
      std::vector<float> got(3 * n), want(3 * n);
      Add(a.data(), b.data(), got.data(), 3 * n);
      AddRef(a.data(), b.data(), want.data(), 3 * n);
      CHECK(got == want);  // one rounding each: bit-identical
    }
  });
}

TEST_CASE("MeanPool matches the reference; no rows gives zeros") {
  ForEachTarget([](const char*) {
    for (size_t cols : kOddSizes) {
      const size_t rows = 5;
      const auto x = RandomFloats(rows * cols, 3, -10.0f, 10.0f);
      std::vector<float> got(cols), want(cols);
      MeanPool(x.data(), rows, cols, got.data());
      MeanPoolRef(x.data(), rows, cols, want.data());
      // 5 f32 adds and one multiply per value: a few ulp of the sum's magnitude.
      CHECK(MaxRelError(got.data(), want.data(), cols, 10.0) < 1e-6);
      MeanPool(x.data(), 0, cols, got.data());
      CHECK(got == std::vector<float>(cols, 0.0f));
    }
  });
}

TEST_CASE("L2Normalize: unit norm, and zero stays zero") {
  ForEachTarget([](const char*) {
    for (size_t n : kOddSizes) {
      auto got = RandomFloats(n, 4, -100.0f, 100.0f);
      auto want = got;
      L2Normalize(got.data(), n);
      L2NormalizeRef(want.data(), n);
      // f32 sum of n squares: relative error ~ n * 2^-24 at worst, far less
      // with lane-parallel sums; 1e-6 covers n = 1001.
      CHECK(MaxRelError(got.data(), want.data(), n, 1e-3) < 1e-6);
      std::vector<float> zeros(n, 0.0f);
      L2Normalize(zeros.data(), n);
      CHECK(zeros == std::vector<float>(n, 0.0f));
    }
  });
}

}  // namespace
}  // namespace tinyenc
