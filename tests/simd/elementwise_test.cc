// Element-wise helpers against their scalar references on every target.
#include "simd/elementwise.h"

#include <vector>

#include "doctest/doctest.h"
#include "runtime/core/f16.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::ForEachTarget;
using test::kOddSizes;
using test::MaxRelError;
using test::RandomFloats;


TEST_CASE("Add and AddBias match the reference exactly") {
  ForEachTarget([](const char*) {
    for (size_t n : kOddSizes) {
      const auto a = RandomFloats(3 * n, 1), b = RandomFloats(3 * n, 2);
      std::vector<float> got(3 * n), want(3 * n);
      Add(a.data(), b.data(), got.data(), 3 * n);
      AddRef(a.data(), b.data(), want.data(), 3 * n);
      CHECK(got == want);  // one rounding each: bit-identical
      std::vector<float> rows = a, rows_ref = a;
      AddBias(rows.data(), 3, n, b.data());
      AddBiasRef(rows_ref.data(), 3, n, b.data());
      CHECK(rows == rows_ref);
    }
  });
}

TEST_CASE("MeanPool with and without row weights") {
  ForEachTarget([](const char*) {
    for (size_t cols : kOddSizes) {
      const size_t rows = 5;
      const auto x = RandomFloats(rows * cols, 3, -10.0f, 10.0f);
      const float weights[rows] = {1, 0, 1, 1, 0};
      std::vector<float> got(cols), want(cols);
      MeanPool(x.data(), rows, cols, weights, got.data());
      MeanPoolRef(x.data(), rows, cols, weights, want.data());
      // 3 f32 adds and one multiply per value: a few ulp of the sum's magnitude.
      CHECK(MaxRelError(got.data(), want.data(), cols, 10.0) < 1e-6);
      MeanPool(x.data(), rows, cols, nullptr, got.data());
      MeanPoolRef(x.data(), rows, cols, nullptr, want.data());
      CHECK(MaxRelError(got.data(), want.data(), cols, 10.0) < 1e-6);
      const float none[rows] = {0, 0, 0, 0, 0};
      MeanPool(x.data(), rows, cols, none, got.data());
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

TEST_CASE("f16 <-> f32 arrays match the bit-exact scalar converters") {
  // Every half bit pattern, and floats that exercise rounding, overflow and
  // subnormals.
  std::vector<uint16_t> halves(65536);
  for (size_t i = 0; i < halves.size(); ++i) halves[i] = static_cast<uint16_t>(i);
  std::vector<float> floats = RandomFloats(4096, 5, -70000.0f, 70000.0f);
  const auto small = RandomFloats(4096, 6, -1e-4f, 1e-4f);
  floats.insert(floats.end(), small.begin(), small.end());
  for (float f : {0.0f, -0.0f, 65504.0f, 65519.99f, 65520.0f, 1e-8f, 2.9802322e-08f,
                  5.9604645e-08f, 6.1035156e-05f, 1.0009766f, 1.0004883f, 1.0014648f}) {
    floats.push_back(f);
    floats.push_back(-f);
  }
  ForEachTarget([&](const char*) {
    std::vector<float> got(halves.size());
    F16ToF32(halves.data(), got.data(), halves.size());
    for (size_t i = 0; i < halves.size(); ++i) {
      const float want = tinyenc::F16ToF32(halves[i]);
      if (std::isnan(want)) {
        CHECK(std::isnan(got[i]));
      } else {
        CHECK(got[i] == want);
      }
    }
    std::vector<uint16_t> got16(floats.size());
    F32ToF16(floats.data(), got16.data(), floats.size());
    size_t mismatches = 0;
    for (size_t i = 0; i < floats.size(); ++i) {
      mismatches += got16[i] != tinyenc::F32ToF16(floats[i]);
    }
    CHECK(mismatches == 0);
  });
}

TEST_CASE("scalar f16 converters: known encodings") {
  CHECK(tinyenc::F32ToF16(1.0f) == 0x3C00);
  CHECK(tinyenc::F32ToF16(-2.0f) == 0xC000);
  CHECK(tinyenc::F32ToF16(65504.0f) == 0x7BFF);
  CHECK(tinyenc::F32ToF16(65520.0f) == 0x7C00);         // rounds to infinity
  CHECK(tinyenc::F32ToF16(5.9604645e-08f) == 0x0001);   // smallest subnormal
  CHECK(tinyenc::F32ToF16(2.9802322e-08f) == 0x0000);   // tie to even: zero
  CHECK(tinyenc::F32ToF16(8.940697e-08f) == 0x0002);    // 1.5 ulp: tie to even
  CHECK(tinyenc::F32ToF16(1.0004883f) == 0x3C00);       // 1 + half ulp: to even
  CHECK(tinyenc::F32ToF16(1.0014648f) == 0x3C02);       // 1 + 1.5 ulp: to even
  CHECK(tinyenc::F16ToF32(0x0001) == 5.9604645e-08f);
  CHECK(tinyenc::F16ToF32(0x7BFF) == 65504.0f);
  CHECK(std::isinf(tinyenc::F16ToF32(0x7C00)));
  CHECK(std::isnan(tinyenc::F16ToF32(0x7E00)));
}

}  // namespace
}  // namespace tinyenc
