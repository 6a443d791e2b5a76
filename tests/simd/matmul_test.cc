// MatMul on every SIMD target against MatMulRef, for every weight type.
#include "simd/matmul.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "simd/quantize.h"
#include "simd/i8_m_profile.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::ForEachTarget;
using test::RandomFloats;
using test::kInf;

// An n x k matrix of `values` as `type`: its bytes, its row scales (I8), and
// the values it holds, dequantized.
struct Weights {
  std::vector<uint8_t> bytes;
  std::vector<float> row_scales;
  std::vector<float> dequantized;
};

Weights MakeWeights(WeightType type, const std::vector<float>& values, size_t n, size_t k) {
  Weights w;
  w.bytes.resize(n * RowBytes(type, k));
  w.row_scales.resize(n);
  QuantizeMatrix(type, values.data(), n, k, w.bytes.data(), w.row_scales.data());
  w.dequantized.resize(n * k);
  for (size_t r = 0; r < n; ++r) {
    if (type == WeightType::kI8) {
      for (size_t i = 0; i < k; ++i) {
        w.dequantized[r * k + i] = static_cast<int8_t>(w.bytes[r * k + i]) * w.row_scales[r];
      }
    } else {
      DequantizeRow(type, w.bytes.data() + r * RowBytes(type, k), k, w.dequantized.data() + r * k);
    }
  }
  return w;
}

// Error metric: max |y - ref| / (sum_k |x_k * w_k| + 1e-30) per output, i.e.
// relative to the magnitude of the terms summed, which bounds f32 summation
// error independently of cancellation. SIMD and reference see identical
// integer block sums for quantized types, so only f32 accumulation order
// differs: K terms of f32 rounding gives at most ~K * 6e-8 in the worst case,
// ~sqrt(K) * 6e-8 typically. Measured worst over every shape and x86 target
// (AVX3_DL ... SCALAR; the run prints it): F32 2.3e-7, F16 1.9e-7, Q8_0
// 1.2e-7, Q4_0 1.25e-7. The bound, 1e-6, is 4-8x that (the old 1e-5 was
// 43-135x) and still far below any indexing, scale or rounding bug (those
// show as errors ~1e-3..1).
constexpr double kTolerance = 1e-6;

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
      worst = test::WorseError(worst, err);
    }
  }
  return worst;
}

struct Shape {
  size_t m, n, k;
};

void CheckType(WeightType type, const Shape* shapes, size_t count, double tolerance,
               bool narrow = false) {
  if (!WeightTypeBuilt(type)) {
    MESSAGE(std::string(WeightTypeName(type)), " is left out of this build (-Dweight_types): not checked");
    return;
  }
  double worst = 0.0;
  for (size_t s = 0; s < count; ++s) {
    const auto [m, n, k] = shapes[s];
    const std::string type_name = WeightTypeName(type);
    INFO(type_name, " M=", m, " N=", n, " K=", k);
    const auto x = RandomFloats(m * k, static_cast<uint32_t>(m * 131 + k), -2.0f, 2.0f);
    const auto w_values = RandomFloats(n * k, static_cast<uint32_t>(n * 7 + k));
    const auto bias = RandomFloats(n, 99);
    const Weights weights = MakeWeights(type, w_values, n, k);
    WeightMatrix w{weights.bytes.data(), type, n, k, weights.row_scales.data()};
    w.narrow_activations = narrow;
    const std::vector<float>& w_dequant = weights.dequantized;
    ForEachTarget([&](const char*) {
      std::vector<uint8_t> scratch(MatMulScratchBytes(type, m, k) + 1);
      for (const bool with_bias : {true, false}) {
        std::vector<float> got(m * n, -1.0f);
        std::vector<float> want_here(m * n);
        MatMulRef(x.data(), m, w, with_bias ? bias.data() : nullptr, want_here.data(),
                  MatMulNarrowsActivations(w));
        // Offset by one byte: the scratch need not be aligned.
        const Status status = MatMul(x.data(), m, w, with_bias ? bias.data() : nullptr,
                                     got.data(), scratch.data() + 1, scratch.size() - 1);
        REQUIRE(status.ok());
        const double err = WorstTermRelativeError(x, w_dequant, m, n, k, got, want_here);
        CHECK(err < tolerance);
        worst = test::WorseError(worst, err);
      }
    });
  }
  std::printf("%s: worst term-relative error over every shape and target %.3g (bound %.3g)\n",
              WeightTypeName(type), worst, tolerance);
}

const Shape kFloatShapes[] = {{1, 1, 1},    {1, 5, 7},     {3, 4, 16},   {2, 9, 17},
                              {5, 13, 33},  {1, 384, 384}, {7, 6, 100},  {4, 8, 1536},
                              {33, 70, 96}, {128, 130, 64}};
// 150 x 544: AVX3_DL's Q8_0/Q4_0 row blocks past one group of 8 (9 whole
// blocks and 6 rows), over two chunks of staged W blocks (16 and 1).
const Shape kBlockShapes[] = {{1, 1, 32},   {1, 5, 32},    {3, 4, 64},    {2, 9, 96},
                              {5, 13, 160}, {1, 384, 384}, {7, 6, 1536},  {33, 70, 128},
                              {128, 130, 64}, {150, 20, 544}};

TEST_CASE("MatMul F32 matches the reference on every target") {
  CheckType(WeightType::kF32, kFloatShapes, std::size(kFloatShapes), kTolerance);
}
TEST_CASE("MatMul F16 matches the reference on every target") {
  CheckType(WeightType::kF16, kFloatShapes, std::size(kFloatShapes), kTolerance);
}
TEST_CASE("MatMul Q8_0 matches the reference on every target") {
  CheckType(WeightType::kQ8_0, kBlockShapes, std::size(kBlockShapes), kTolerance);
}
TEST_CASE("MatMul Q4_0 matches the reference on every target") {
  CheckType(WeightType::kQ4_0, kBlockShapes, std::size(kBlockShapes), kTolerance);
}

// Every K from 1 to 200 (and a few long rows): each target's step and its
// scalar tail.
const Shape kRowShapes[] = {{1, 1, 1},     {1, 5, 7},     {3, 4, 16},   {2, 9, 17},
                            {5, 13, 33},   {4, 8, 63},    {4, 8, 64},   {4, 8, 65},
                            {7, 6, 100},   {1, 384, 384}, {4, 8, 1536}, {33, 70, 96},
                            {128, 130, 64}, {6, 5, 127},  {6, 5, 129},  {2, 3, 200}};

TEST_CASE("MatMul I8 matches the reference on every target") {
  CheckType(WeightType::kI8, kRowShapes, std::size(kRowShapes), kTolerance);
}

TEST_CASE("MatMul I8 with 8-bit X codes matches the reference on every target") {
  // 320 columns: W row sums are computed 256 columns at a time.
  const Shape shapes[] = {{5, 320, 128}, {3, 9, 1536}};
  CheckType(WeightType::kI8, kRowShapes, std::size(kRowShapes), kTolerance, true);
  CheckType(WeightType::kI8, shapes, std::size(shapes), kTolerance, true);
}

// Integer X values with one at +-L per row, and integer W values with one at
// +-127 per row, quantize to themselves with scales of exactly 1: every
// output is then the integer dot product itself, converted to float once, so
// it must equal the exact sum bit for bit on every target (on the boards this
// is i8_m_profile.h's kernel). K runs over each kernel's steps (8 MVE,
// 4 DSP, 2..32 Highway) and tails, and AVX3_DL's last K in blocks (2048) and
// the first past it; K = 516 with every product at its largest is the most an
// i32 holds at full levels (RowActivationLevels), so a kernel that widened
// or accumulated in 16 bits, or lost a sign, shows here.
// Integer X and W whose codes are themselves (scales of exactly 1): every
// output must equal the exact integer dot product, on every target.
void CheckExactDots(const std::vector<float>& x, const std::vector<float>& w_values, size_t m,
                    size_t n, size_t k, bool narrow) {
  const Weights weights = MakeWeights(WeightType::kI8, w_values, n, k);
  REQUIRE(weights.row_scales == std::vector<float>(n, 1.0f));
  WeightMatrix w{weights.bytes.data(), WeightType::kI8, n, k, weights.row_scales.data()};
  w.narrow_activations = narrow;
  std::vector<float> exact(m * n);
  for (size_t r = 0; r < m; ++r) {
    for (size_t c = 0; c < n; ++c) {
      int64_t dot = 0;
      for (size_t i = 0; i < k; ++i) {
        dot += static_cast<int64_t>(x[r * k + i]) * static_cast<int64_t>(w_values[c * k + i]);
      }
      REQUIRE(dot >= INT32_MIN);
      REQUIRE(dot <= INT32_MAX);
      exact[r * n + c] = static_cast<float>(dot);
    }
  }
  std::vector<float> want(m * n);
  MatMulRef(x.data(), m, w, nullptr, want.data(), narrow);
  CHECK(want == exact);
  std::vector<uint8_t> scratch(MatMulScratchBytes(WeightType::kI8, m, k));
  size_t checked = 0;
  ForEachTarget([&](const char* target) {
    // Targets that keep int16 codes round these X values differently.
    if (narrow && !MatMulNarrowsActivations(w)) return;
    std::vector<float> got(m * n, -1.0f);
    REQUIRE(MatMul(x.data(), m, w, nullptr, got.data(), scratch.data(), scratch.size()).ok());
    INFO(target);
    CHECK(got == exact);
    ++checked;
  });
  if (checked == 0) MESSAGE("no target here codes X in 8 bits: only the reference checked");
}

// Integer X values with one at +-L per row, and integer W values with one at
// +-127 per row, quantize to themselves with scales of exactly 1: every
// output is then the integer dot product itself, converted to float once, so
// it must equal the exact sum bit for bit on every target (on the boards this
// is i8_m_profile.h's kernel). K runs over each kernel's steps (8 MVE,
// 4 DSP, 2..32 Highway) and tails, and AVX3_DL's last K in blocks (2048) and
// the first past it; K = 516 with every product at its largest is the most an
// i32 holds at full levels (RowActivationLevels), so a kernel that widened
// or accumulated in 16 bits, or lost a sign, shows here.
TEST_CASE("MatMul I8 outputs are the exact integer dot products, on every target") {
  if (!WeightTypeBuilt(WeightType::kI8)) {
    MESSAGE("i8 is left out of this build (-Dweight_types): not checked");
    return;
  }
#ifdef TINYENC_I8_M_PROFILE
  MESSAGE("I8 row dots by the ", kRowDotKernel, " kernel");
#endif
  const size_t ks[] = {1,  2,  3,  4,   5,   7,   8,   9,   15,   16,  17,
                       31, 33, 64, 100, 256, 257, 516, 517, 2048, 2049};
  // 37 rows: AVX3_DL's blocks of 16 rows (K <= 2048) and the rows past them.
  const Shape shapes[] = {{1, 1, 0}, {2, 3, 0}, {3, 4, 0}, {4, 5, 0}, {5, 9, 0}, {37, 11, 0}};
  std::mt19937 rng(5);
  for (const size_t k : ks) {
    const int32_t levels = RowActivationLevels(k);
    for (const Shape& shape : shapes) {
      const size_t m = shape.m, n = shape.n;
      for (const bool extreme : {false, true}) {
        INFO("M=", m, " N=", n, " K=", k, extreme ? " every product at its largest" : " random");
        std::uniform_int_distribution<int32_t> x_code(-levels, levels), w_code(-127, 127);
        std::vector<float> x(m * k), w_values(n * k);
        for (size_t i = 0; i < x.size(); ++i) {
          x[i] = static_cast<float>(extreme ? (i / k % 2 ? -levels : levels) : x_code(rng));
        }
        for (size_t i = 0; i < w_values.size(); ++i) {
          w_values[i] = static_cast<float>(extreme ? 127 : w_code(rng));
        }
        for (size_t r = 0; r < m; ++r) x[r * k + r % k] = static_cast<float>(r % 2 ? -levels : levels);
        for (size_t c = 0; c < n; ++c) w_values[c * k + (k - 1 - c % k)] = c % 2 ? -127.0f : 127.0f;
        CheckExactDots(x, w_values, m, n, k, false);
      }
    }
  }
}

// 8-bit X codes: rows whose range spans exactly 255 (all in [0, 255], all in
// [-255, 0], or [-128, 127]) have a scale of 1 and zero points 0, 255 and
// 128, so outputs are again exact integer dot products. K runs over the
// 64-byte step and its tail; the last K is kNarrowMaxK with every product at
// 255 * 127, the most an i32 holds. M = 6 runs the row tiles; M = 37 the
// blocks of 16 rows (two and a part), 11 columns the 8-column tiles and an
// edge.
TEST_CASE("MatMul I8 with 8-bit X codes gives the exact integer dot products, on every target") {
  if (!WeightTypeBuilt(WeightType::kI8)) return;
  const size_t ks[] = {2, 63, 64, 65, 127, 128, 129, 200, 1000, kNarrowMaxK};
  WeightMatrix probe{nullptr, WeightType::kI8, 1, 1};
  probe.narrow_activations = true;
  bool any_target_narrows = false;
  ForEachTarget([&](const char*) {
    any_target_narrows = any_target_narrows || MatMulNarrowsActivations(probe);
  });
  std::mt19937 rng(6);
  for (const size_t k : ks) {
    const bool extreme = k == kNarrowMaxK;
    // That K's megabytes only test a kernel, and outgrow the boards' RAM.
    if (extreme && !any_target_narrows) continue;
    std::vector<Shape> shapes = {Shape{6, 5, k}, Shape{37, 11, k}};
#ifdef TINYENC_I8_M_PROFILE
    // Helium's 4 MB of RAM hold that K's case for one 2 x 2 core (2.3 MB).
    if (extreme) shapes = {Shape{2, 2, k}};
#endif
    for (const Shape shape : shapes) {
      const size_t m = shape.m, n = shape.n;
      INFO("M=", m, " K=", k, extreme ? " every product at its largest" : " random");
      std::uniform_int_distribution<int32_t> x_code(0, 255), w_code(-127, 127);
      std::vector<float> x(m * k), w_values(n * k);
      for (size_t r = 0; r < m; ++r) {
        const int32_t low = r % 3 == 0 ? 0 : r % 3 == 1 ? -255 : -128;  // the row's range
        for (size_t i = 0; i < k; ++i) {
          x[r * k + i] = static_cast<float>(low + (extreme ? 255 : x_code(rng)));
        }
        x[r * k + r % k] = static_cast<float>(low);
        x[r * k + (r + 1) % k] = static_cast<float>(low + 255);
      }
      for (size_t i = 0; i < w_values.size(); ++i) {
        w_values[i] = static_cast<float>(extreme ? 127 : w_code(rng));
      }
      for (size_t c = 0; c < n; ++c) w_values[c * k + (k - 1 - c % k)] = c % 2 ? -127.0f : 127.0f;
      CheckExactDots(x, w_values, m, n, k, true);
    }
  }
}

TEST_CASE("I8 with the file's row sums gives the bits of the sums computed per call") {
  // The AVX3_DL 8-bit kernels take W's row sums from the file for one block
  // of 16 rows instead of a pass over W (40 rows keep the pass); the sums
  // are exact, so every output must keep its bits.
  constexpr size_t kCols = 300, kK = 96;  // two chunks of columns
  const std::vector<float> values = RandomFloats(kCols * kK, 31);
  const std::vector<float> bias = RandomFloats(kCols, 32);
  const Weights weights = MakeWeights(WeightType::kI8, values, kCols, kK);
  std::vector<float> sums(kCols);
  for (size_t c = 0; c < kCols; ++c) {
    int32_t sum = 0;
    for (size_t i = 0; i < kK; ++i) sum += static_cast<int8_t>(weights.bytes[c * kK + i]);
    sums[c] = static_cast<float>(sum);
  }
  for (const size_t m : {size_t{16}, size_t{40}}) {
    const std::vector<float> x = RandomFloats(m * kK, 33, -2.0f, 2.0f);
    std::vector<uint8_t> scratch(MatMulScratchBytes(WeightType::kI8, m, kK));
    for (const bool narrow : {false, true}) {
      WeightMatrix w{weights.bytes.data(), WeightType::kI8, kCols, kK,
                     weights.row_scales.data()};
      w.narrow_activations = narrow;
      ForEachTarget([&](const char* target) {
        std::vector<float> computed(m * kCols), from_file(m * kCols);
        w.row_sums = nullptr;
        REQUIRE(MatMul(x.data(), m, w, bias.data(), computed.data(), scratch.data(),
                       scratch.size()).ok());
        w.row_sums = sums.data();
        REQUIRE(MatMul(x.data(), m, w, bias.data(), from_file.data(), scratch.data(),
                       scratch.size()).ok());
        INFO(target, " M=", m, narrow ? " 8-bit X" : "");
        CHECK(std::memcmp(computed.data(), from_file.data(), computed.size() * sizeof(float)) ==
              0);
      });
    }
  }
}

TEST_CASE("A row's outputs do not depend on how many rows share its MatMul, on every target") {
  // Tiled plans and thread splits hand MatMul a few rows of X at a time and
  // rely on getting the whole call's bits for them: each row's outputs must
  // be the same whichever block, tile or partial block of rows holds it
  // (AVX3_DL's Q8_0/Q4_0 blocks of 16 rows, the row tiles elsewhere).
  constexpr size_t kRows = 40, kCols = 13, kK = 96;
  const std::vector<float> x = RandomFloats(kRows * kK, 21, -2.0f, 2.0f);
  const std::vector<float> values = RandomFloats(kCols * kK, 22);
  const std::vector<float> bias = RandomFloats(kCols, 23);
  struct Case {
    WeightType type;
    bool narrow;  // 8-bit X codes where the target has them
  };
  for (const auto [type, narrow] :
       {Case{WeightType::kF32, false}, Case{WeightType::kF16, false},
        Case{WeightType::kQ8_0, false}, Case{WeightType::kQ4_0, false},
        Case{WeightType::kI8, false}, Case{WeightType::kI8, true}}) {
    if (!WeightTypeBuilt(type)) continue;  // left out of this build (-Dweight_types)
    const Weights weights = MakeWeights(type, values, kCols, kK);
    WeightMatrix w{weights.bytes.data(), type, kCols, kK, weights.row_scales.data()};
    w.narrow_activations = narrow;
    std::vector<uint8_t> scratch(MatMulScratchBytes(type, kRows, kK) + 1);
    ForEachTarget([&](const char* target) {
      std::vector<float> whole(kRows * kCols);
      REQUIRE(MatMul(x.data(), kRows, w, bias.data(), whole.data(), scratch.data(),
                     scratch.size()).ok());
      for (const size_t first : {size_t{0}, size_t{5}, size_t{16}, size_t{30}}) {
        for (const size_t rows : {size_t{1}, size_t{2}, size_t{3}, size_t{4}, size_t{7}}) {
          std::vector<float> part(rows * kCols);
          REQUIRE(MatMul(x.data() + first * kK, rows, w, bias.data(), part.data(),
                         scratch.data(), scratch.size()).ok());
          INFO(target, " ", WeightTypeName(type), narrow ? " 8-bit X" : "", " rows ", first, "..",
               first + rows - 1);
          CHECK(std::memcmp(part.data(), whole.data() + first * kCols,
                            part.size() * sizeof(float)) == 0);
        }
      }
    });
  }
}

TEST_CASE("F8: a NaN or infinity in X makes its row's outputs NaN, on every target") {
  // Quantized weights: X is quantized per block of 32 (per row for I8), where
  // NearestInt of a non-finite value was undefined on EMU128 and its code sum
  // overflowed. 18 rows: 8-bit X codes in blocks of 16 rows, and a part.
  constexpr size_t kCols = 64, kOut = 8;
  const std::vector<float> weights = RandomFloats(kOut * kCols, 7);
  struct Case {
    WeightType type;
    bool narrow;  // 8-bit X codes where the target has them
  };
  for (const auto [type, narrow] : {Case{WeightType::kQ8_0, false}, Case{WeightType::kQ4_0, false},
                                    Case{WeightType::kI8, false}, Case{WeightType::kI8, true}}) {
    if (!WeightTypeBuilt(type)) continue;  // left out of this build (-Dweight_types)
    const Weights quantized = MakeWeights(type, weights, kOut, kCols);
    WeightMatrix w{quantized.bytes.data(), type, kOut, kCols, quantized.row_scales.data()};
    w.narrow_activations = narrow;
    for (const size_t rows : {size_t{3}, size_t{18}}) {
      for (const float bad : {std::numeric_limits<float>::quiet_NaN(), kInf, -kInf}) {
        std::vector<float> x = RandomFloats(rows * kCols, 8);
        x[kCols] = bad;  // row 1, first value of its first block
        std::vector<uint8_t> scratch(MatMulScratchBytes(type, rows, kCols));
        ForEachTarget([&](const char* target) {
          std::vector<float> y(rows * kOut, 0.0f);
          REQUIRE(MatMul(x.data(), rows, w, nullptr, y.data(), scratch.data(), scratch.size()).ok());
          for (size_t r = 0; r < rows; ++r) {
            for (size_t c = 0; c < kOut; ++c) {
              INFO(target, " ", WeightTypeName(type), " X value ", bad, " row ", r, " column ", c);
              CHECK((r == 1) == std::isnan(y[r * kOut + c]));
            }
          }
        });
      }
    }
  }
}

TEST_CASE("Rows of zeros of both signs give exactly the bias, on every target") {
  // Which zero a row's min and max keep depends on the order they meet
  // them; a range of -0 would have an inverse of -infinity. The coding must
  // give every such row the empty range it is, and must not take a zero for
  // a NaN or infinity (a NaN scale: with zeros in the fpclass test, this
  // case fails on AVX3_DL). Each pattern puts the signs in other lanes and
  // positions; 18 rows: 8-bit X in blocks and not.
  constexpr size_t kCols = 64, kOut = 8, kRows = 18;
  const std::vector<float> weights = RandomFloats(kOut * kCols, 9);
  const std::vector<float> bias = RandomFloats(kOut, 10);
  std::vector<float> x(kRows * kCols);
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t i = 0; i < kCols; ++i) x[r * kCols + i] = (i * 7 + r) % (r % 5 + 2) ? 0.0f : -0.0f;
  }
  for (const WeightType type : {WeightType::kQ8_0, WeightType::kQ4_0, WeightType::kI8}) {
    if (!WeightTypeBuilt(type)) continue;  // left out of this build (-Dweight_types)
    const Weights quantized = MakeWeights(type, weights, kOut, kCols);
    for (const bool narrow : {false, true}) {
      WeightMatrix w{quantized.bytes.data(), type, kOut, kCols, quantized.row_scales.data()};
      w.narrow_activations = narrow;
      std::vector<uint8_t> scratch(MatMulScratchBytes(type, kRows, kCols));
      ForEachTarget([&](const char* target) {
        std::vector<float> y(kRows * kOut, -1.0f);
        REQUIRE(MatMul(x.data(), kRows, w, bias.data(), y.data(), scratch.data(), scratch.size())
                    .ok());
        for (size_t r = 0; r < kRows; ++r) {
          INFO(target, " ", WeightTypeName(type), narrow ? " 8-bit X" : "", " row ", r);
          for (size_t c = 0; c < kOut; ++c) CHECK(y[r * kOut + c] == bias[c]);
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
  w.type = WeightType::kI8;  // without its row scales
  status = MatMul(x.data(), 1, w, nullptr, y.data(), scratch.data(), scratch.size());
  if (WeightTypeBuilt(WeightType::kI8)) {
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(std::string(status.message()).find("row scale") != std::string::npos);
  } else {
    CHECK(status.code() == StatusCode::kUnsupportedType);
  }
  CHECK(y == std::vector<float>(64, 0.0f));  // nothing was written
}

}  // namespace
}  // namespace tinyenc
