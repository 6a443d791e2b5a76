// Row softmax against its double-precision reference on every target.
#include "simd/softmax.h"

#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::ForEachTarget;
using test::kInf;
using test::kOddSizes;
using test::MaxRelError;
using test::RandomFloats;

// Every column masked with probability ~1/4: masked columns are -inf, the
// others 0 or, with bias != 0, a finite additive bias in [-bias, bias].
std::vector<float> RandomMask(size_t cols, uint32_t seed, float bias) {
  std::vector<float> mask = RandomFloats(cols, seed, -1.0f, 1.0f);
  for (float& m : mask) m = m < -0.5f ? -kInf : bias * m;
  return mask;
}

// Relative error budget for a probability p_i = exp(z_i - max) / sum that is
// at least kRelFloor, so z_i - max >= ln(1e-3) = -6.9. With |z| < 16 here:
// - z = x * scale + mask rounds twice (scale 3, finite bias): z_i and max
//   each carry up to 2 * 0.5 ulp(16) = 9.5e-7, which exp turns into 1.9e-6;
// - z_i - max rounds to 0.5 ulp(6.9) = 2.4e-7;
// - Exp (1 ulp), 1 / sum and the final product: ~2e-7;
// - the f32 sum: ~sqrt(n / (2 lanes)) * 2^-24 = 1.3e-6 for n = 1001 on SCALAR.
// Smaller probabilities are measured against the floor, where their error is
// negligible. A wrong max, mask or Exp misses this by orders of magnitude.
constexpr double kRelFloor = 1e-3;
constexpr double kRelTolerance = 4e-6;

// Checks the rows of a softmax result: finite, in [0, 1], masked columns
// exactly 0, and each row sums to 1 or (fully masked) is all zeros.
void CheckRows(const std::vector<float>& got, size_t num_rows, size_t cols, const float* mask) {
  for (size_t r = 0; r < num_rows; ++r) {
    double sum = 0.0;
    bool all_masked = true;
    for (size_t c = 0; c < cols; ++c) {
      const float p = got[r * cols + c];
      REQUIRE(std::isfinite(p));
      CHECK(p >= 0.0f);
      CHECK(p <= 1.0f);
      const bool masked = mask != nullptr && mask[c] == -kInf;
      if (masked) CHECK(p == 0.0f);
      all_masked = all_masked && masked;
      sum += p;
    }
    if (all_masked) {
      CHECK(sum == 0.0);
    } else {
      // Probabilities above the floor are within kRelTolerance relative, so
      // their sum is within kRelTolerance of theirs; those below are within
      // kRelTolerance * floor each, and there are at most 1001 of them.
      CHECK(std::fabs(sum - 1.0) <= 2 * kRelTolerance);
    }
  }
}

TEST_CASE("Softmax matches the reference: sizes, rows, scale, mask") {
  ForEachTarget([](const char* target) {
    double worst = 0.0;
    for (size_t cols : kOddSizes) {
      for (size_t num_rows : {size_t{1}, size_t{5}}) {
        for (float scale : {1.0f, 0.125f, 3.0f}) {
          const auto mask = RandomMask(cols, static_cast<uint32_t>(cols), 0.25f);
          const float* masks[] = {nullptr, mask.data()};
          for (const float* m : masks) {
            // |x * scale + mask| < 16 for every scale used.
            auto got =
                RandomFloats(num_rows * cols, static_cast<uint32_t>(cols + num_rows), -5.0f, 5.0f);
            auto want = got;
            Softmax(got.data(), num_rows, cols, scale, m);
            SoftmaxRef(want.data(), num_rows, cols, scale, m);
            const double err = MaxRelError(got.data(), want.data(), got.size(), kRelFloor);
            if (err > worst) worst = err;
            CHECK(err <= kRelTolerance);
            CheckRows(got, num_rows, cols, m);
          }
        }
      }
    }
    MESSAGE(std::string(target), ": Softmax max rel error ", worst, " (floor ", kRelFloor, ")");
  });
}

TEST_CASE("Softmax: extreme magnitudes give no NaN or inf and rows sum to 1") {
  ForEachTarget([](const char* target) {
    double worst = 0.0;
    for (size_t cols : kOddSizes) {
      const size_t num_rows = 3;
      // 0 or -inf, so that z = x stays exact even where |x| is large.
      auto mask = RandomMask(cols, static_cast<uint32_t>(cols) + 100, 0.0f);
      mask[cols / 2] = 0.0f;  // at least one column kept
      for (float magnitude : {80.0f, 1e30f, 1e38f}) {
        const float* masks[] = {nullptr, mask.data()};
        for (const float* m : masks) {
          auto got =
              RandomFloats(num_rows * cols, static_cast<uint32_t>(cols), -magnitude, magnitude);
          // The largest and smallest finite values: z - max overflows to -inf.
          got[0] = FLT_MAX;
          got[num_rows * cols - 1] = -FLT_MAX;
          auto want = got;
          Softmax(got.data(), num_rows, cols, 1.0f, m);
          SoftmaxRef(want.data(), num_rows, cols, 1.0f, m);
          CheckRows(got, num_rows, cols, m);
          // Scale 1 and a 0 / -inf mask keep z = x exact: only the last three
          // items of the budget above remain.
          const double err = MaxRelError(got.data(), want.data(), got.size(), kRelFloor);
          if (err > worst) worst = err;
          CHECK(err <= kRelTolerance);
        }
      }
    }
    MESSAGE(std::string(target), ": Softmax max rel error at extreme magnitudes ", worst);
  });
}

TEST_CASE("F8: a NaN score makes its row NaN and leaves the other rows alone") {
  // Highway's Exp of NaN was undefined on EMU128; the kernel keeps NaN out.
  ForEachTarget([](const char* target) {
    constexpr size_t kCols = 19;
    std::vector<float> rows = RandomFloats(2 * kCols, 5);
    std::vector<float> want = rows;
    Softmax(want.data(), 2, kCols, 0.5f, nullptr);
    rows[3] = std::nanf("");
    Softmax(rows.data(), 2, kCols, 0.5f, nullptr);
    for (size_t i = 0; i < 2 * kCols; ++i) {
      INFO(target, " value ", i);
      if (i < kCols) {
        CHECK(std::isnan(rows[i]));
      } else {
        CHECK(rows[i] == want[i]);
      }
    }
  });
}

TEST_CASE("Softmax: fully masked rows become zeros, others are unaffected") {
  ForEachTarget([](const char*) {
    for (size_t cols : kOddSizes) {
      const std::vector<float> all_masked(cols, -kInf);
      auto got = RandomFloats(2 * cols, 7, -5.0f, 5.0f);
      Softmax(got.data(), 2, cols, 0.5f, all_masked.data());
      CHECK(got == std::vector<float>(2 * cols, 0.0f));

      // Rows that are -inf themselves, next to an ordinary row.
      got = RandomFloats(3 * cols, 8, -5.0f, 5.0f);
      for (size_t c = 0; c < cols; ++c) got[c] = got[2 * cols + c] = -kInf;
      auto want = got;
      Softmax(got.data(), 3, cols, 1.0f, nullptr);
      SoftmaxRef(want.data(), 3, cols, 1.0f, nullptr);
      CHECK(std::vector<float>(got.begin(), got.begin() + cols) == std::vector<float>(cols, 0.0f));
      CHECK(std::vector<float>(got.begin() + 2 * cols, got.end()) ==
            std::vector<float>(cols, 0.0f));
      CHECK(MaxRelError(got.data(), want.data(), got.size(), kRelFloor) <= kRelTolerance);

      // The lowest finite value is not a mask: such a row is uniform.
      std::vector<float> lowest(cols, -FLT_MAX);
      lowest[0] = -kInf;
      Softmax(lowest.data(), 1, cols, 1.0f, nullptr);
      for (size_t c = 1; c < cols; ++c) {
        CHECK(lowest[c] == doctest::Approx(1.0 / static_cast<double>(cols - 1)).epsilon(1e-6));
      }
      CHECK(lowest[0] == 0.0f);
    }
  });
}

TEST_CASE("Softmax: a single kept column gets probability exactly 1") {
  ForEachTarget([](const char*) {
    for (size_t cols : kOddSizes) {
      std::vector<float> mask(cols, -kInf);
      mask[cols - 1] = 0.0f;  // the last column lives in the scalar tail
      auto got = RandomFloats(cols, 9, -50.0f, 50.0f);
      Softmax(got.data(), 1, cols, 2.0f, mask.data());
      std::vector<float> want(cols, 0.0f);
      want[cols - 1] = 1.0f;  // exp(0) / exp(0)
      CHECK(got == want);
    }
  });
}

}  // namespace
}  // namespace tinyenc
