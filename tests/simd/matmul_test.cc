// MatMul on every SIMD target against MatMulRef, for every weight type.
#include "simd/matmul.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "simd/quantize.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::ForEachTarget;
using test::RandomFloats;
using test::kInf;

// Weight bytes of type `type` for an n x k matrix of `values`.
std::vector<uint8_t> MakeWeights(WeightType type, const std::vector<float>& values, size_t n,
                                 size_t k) {
  std::vector<uint8_t> bytes(n * RowBytes(type, k));
  QuantizeMatrix(type, values.data(), n, k, bytes.data());
  return bytes;
}

// Error metric: max |y - ref| / (sum_k |x_k * w_k| + 1e-30) per output, i.e.
// relative to the magnitude of the terms summed, which bounds f32 summation
// error independently of cancellation. SIMD and reference see identical
// integer block sums for quantized types, so only f32 accumulation order
// differs: K terms of f32 rounding gives at most ~K * 6e-8 in the worst case,
// ~sqrt(K) * 6e-8 typically; 1e-5 is comfortably above for K <= 1536 yet far
// below any indexing or quantization bug (those show as errors ~1e-2..1).
double WorstTermRelativeError(const std::vector<float>& x, const std::vector<float>& w_values,
                              size_t m, size_t n, size_t k, const std::vector<float>& got,
                              const std::vector<float>& want) {
  double worst = 0.0;
  for (size_t r = 0; r < m; ++r) {
    for (size_t c = 0; c < n; ++c) {
      double magnitude = 1e-30;
      for (size_t i = 0; i < k; ++i) {
        magnitude += std::fabs(static_cast<double>(x[r * k + i]) * w_values[c * k + i]);
      }
      const double err = std::fabs(static_cast<double>(got[r * n + c]) - want[r * n + c]) / magnitude;
      if (!(err <= worst)) worst = err;
    }
  }
  return worst;
}

struct Shape {
  size_t m, n, k;
};

void CheckType(WeightType type, const Shape* shapes, size_t count, double tolerance) {
  if (!WeightTypeBuilt(type)) {
    MESSAGE(WeightTypeName(type), " is left out of this build (-Dweight_types): not checked");
    return;
  }
  for (size_t s = 0; s < count; ++s) {
    const auto [m, n, k] = shapes[s];
    const std::string type_name = WeightTypeName(type);
    INFO(type_name, " M=", m, " N=", n, " K=", k);
    const auto x = RandomFloats(m * k, static_cast<uint32_t>(m * 131 + k), -2.0f, 2.0f);
    const auto w_values = RandomFloats(n * k, static_cast<uint32_t>(n * 7 + k));
    const auto bias = RandomFloats(n, 99);
    const auto w_bytes = MakeWeights(type, w_values, n, k);
    const WeightMatrix w{w_bytes.data(), type, n, k};
    std::vector<float> want(m * n);
    MatMulRef(x.data(), m, w, bias.data(), want.data());
    std::vector<float> w_dequant(n * k);
    for (size_t r = 0; r < n; ++r) {
      DequantizeRow(type, w_bytes.data() + r * RowBytes(type, k), k, w_dequant.data() + r * k);
    }
    ForEachTarget([&](const char*) {
      std::vector<uint8_t> scratch(MatMulScratchBytes(type, m, k) + 1);
      for (const bool with_bias : {true, false}) {
        std::vector<float> got(m * n, -1.0f);
        std::vector<float> want_here = want;
        if (!with_bias) MatMulRef(x.data(), m, w, nullptr, want_here.data());
        // Offset by one byte: the scratch need not be aligned.
        const Status status = MatMul(x.data(), m, w, with_bias ? bias.data() : nullptr,
                                     got.data(), scratch.data() + 1, scratch.size() - 1);
        REQUIRE(status.ok());
        const double err = WorstTermRelativeError(x, w_dequant, m, n, k, got, want_here);
        CHECK(err < tolerance);
      }
    });
  }
}

const Shape kFloatShapes[] = {{1, 1, 1},    {1, 5, 7},     {3, 4, 16},   {2, 9, 17},
                              {5, 13, 33},  {1, 384, 384}, {7, 6, 100},  {4, 8, 1536},
                              {33, 70, 96}, {128, 130, 64}};
const Shape kBlockShapes[] = {{1, 1, 32},   {1, 5, 32},    {3, 4, 64},    {2, 9, 96},
                              {5, 13, 160}, {1, 384, 384}, {7, 6, 1536},  {33, 70, 128},
                              {128, 130, 64}};

TEST_CASE("MatMul F32 matches the reference on every target") {
  CheckType(WeightType::kF32, kFloatShapes, std::size(kFloatShapes), 1e-5);
}
TEST_CASE("MatMul F16 matches the reference on every target") {
  CheckType(WeightType::kF16, kFloatShapes, std::size(kFloatShapes), 1e-5);
}
TEST_CASE("MatMul Q8_0 matches the reference on every target") {
  CheckType(WeightType::kQ8_0, kBlockShapes, std::size(kBlockShapes), 1e-5);
}
TEST_CASE("MatMul Q4_0 matches the reference on every target") {
  CheckType(WeightType::kQ4_0, kBlockShapes, std::size(kBlockShapes), 1e-5);
}

TEST_CASE("F8: a NaN or infinity in X makes its row's outputs NaN, on every target") {
  // Block-quantized weights: X is quantized per block of 32, where NearestInt
  // of a non-finite value was undefined on EMU128 and its code sum overflowed.
  constexpr size_t kRows = 3, kCols = 64, kOut = 8;
  const std::vector<float> weights = RandomFloats(kOut * kCols, 7);
  for (const WeightType type : {WeightType::kQ8_0, WeightType::kQ4_0}) {
    std::vector<uint8_t> w_bytes(kOut * RowBytes(type, kCols));
    QuantizeMatrix(type, weights.data(), kOut, kCols, w_bytes.data());
    const WeightMatrix w{w_bytes.data(), type, kOut, kCols};
    for (const float bad : {std::numeric_limits<float>::quiet_NaN(), kInf, -kInf}) {
      std::vector<float> x = RandomFloats(kRows * kCols, 8);
      x[kCols] = bad;  // row 1, first value of its first block
      std::vector<uint8_t> scratch(MatMulScratchBytes(type, kRows, kCols));
      ForEachTarget([&](const char* target) {
        std::vector<float> y(kRows * kOut, 0.0f);
        REQUIRE(MatMul(x.data(), kRows, w, nullptr, y.data(), scratch.data(), scratch.size()).ok());
        for (size_t r = 0; r < kRows; ++r) {
          for (size_t c = 0; c < kOut; ++c) {
            INFO(target, " ", WeightTypeName(type), " X value ", bad, " row ", r, " column ", c);
            CHECK((r == 1) == std::isnan(y[r * kOut + c]));
          }
        }
      });
    }
  }
}

TEST_CASE("MatMul reports bad shapes, types and scratch instead of running") {
  std::vector<float> x(64, 1.0f), y(64, 0.0f);
  std::vector<uint8_t> w_bytes(4096);
  std::vector<uint8_t> scratch(4096);
  WeightMatrix w{w_bytes.data(), WeightType::kQ8_0, 2, 33};
  Status status = MatMul(x.data(), 1, w, nullptr, y.data(), scratch.data(), scratch.size());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(std::string(status.message()).find("K=33") != std::string::npos);
  w.cols = 32;
  status = MatMul(x.data(), 1, w, nullptr, y.data(), scratch.data(), 3);
  CHECK(status.code() == StatusCode::kScratchTooSmall);
  w.type = static_cast<WeightType>(3);  // Q4_1: not supported
  status = MatMul(x.data(), 1, w, nullptr, y.data(), scratch.data(), scratch.size());
  CHECK(status.code() == StatusCode::kUnsupportedType);
  w.type = WeightType::kF32;
  status = MatMul(x.data(), 0, w, nullptr, y.data(), nullptr, 0);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  status = MatMul(nullptr, 1, w, nullptr, y.data(), nullptr, 0);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(y == std::vector<float>(64, 0.0f));  // nothing was written
}

}  // namespace
}  // namespace tinyenc
