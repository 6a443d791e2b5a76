// Layer normalization against its double-precision reference on every target.
#include "simd/layernorm.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::ForEachTarget;
using test::MaxRelError;
using test::RandomFloats;

// Sizes below, at and past every vector width, including odd tails, and the
// hidden sizes of small encoders.
const size_t kSizes[] = {1, 3, 7, 17, 31, 33, 64, 100, 384, 768, 1001, 1024};

// offset + N(0, 1): the shape of residual-stream activations with a large
// common component, which defeats single-pass f32 variance.
std::vector<float> OffsetNormal(size_t count, uint32_t seed, double offset) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<float> v(count);
  for (float& x : v) x = static_cast<float>(offset + normal(rng));
  return v;
}

// Output error against the float64 reference, relative to max(|want|, 1): the
// outputs are O(1) normalized values times gamma plus beta. Budget: the
// deviation x - center is exact for values near the mean and offset removes
// the rest of the mean to f32 accuracy (a few ulp of the O(1) output); the f32
// sum of squares over n <= 1024 terms in 2 * lanes chains has relative error
// ~sqrt(n / 2) * 2^-24 ~ 1.4e-6 on SCALAR (half of it reaches 1/sqrt(var));
// the final multiply-adds add ~3 ulp. 3e-6 covers that; a single-pass f32
// variance misses by orders of magnitude with the 1e4 offset.
constexpr double kTolerance = 3e-6;

TEST_CASE("LayerNorm matches the reference: offsets, sizes, rows, eps") {
  ForEachTarget([](const char* target) {
    double worst = 0.0;
    for (size_t cols : kSizes) {
      const auto gamma = RandomFloats(cols, 1, 0.5f, 2.0f);
      const auto beta = RandomFloats(cols, 2, -1.0f, 1.0f);
      for (size_t num_rows : {size_t{1}, size_t{4}}) {
        for (double offset : {0.0, -3.0, 1e4, 1e6}) {
          for (float eps : {1e-12f, 1e-5f}) {
            const auto x = OffsetNormal(num_rows * cols, static_cast<uint32_t>(cols), offset);
            std::vector<float> got(x.size()), want(x.size());
            LayerNorm(x.data(), got.data(), num_rows, cols, gamma.data(), beta.data(), eps);
            LayerNormRef(x.data(), want.data(), num_rows, cols, gamma.data(), beta.data(), eps);
            const double err = MaxRelError(got.data(), want.data(), got.size(), 1.0);
            if (err > worst) worst = err;
            INFO("cols ", cols, " rows ", num_rows, " offset ", offset, " eps ", eps);
            CHECK(err <= kTolerance);
          }
        }
      }
    }
    MESSAGE(std::string(target), ": LayerNorm max rel error ", worst, " (floor 1)");
  });
}

TEST_CASE("LayerNorm: mean and variance match float64 on offset rows") {
  // With gamma = 1 and beta = 0 the output is (x - mean) / std, so an error in
  // the mean shows up as a shift of mean_err / std and an error in the variance
  // as a relative scale error of var_err / (2 var): both are read back here.
  ForEachTarget([](const char* target) {
    double worst_mean = 0.0, worst_scale = 0.0;
    for (size_t cols : {size_t{64}, size_t{384}, size_t{1000}, size_t{1024}}) {
      const std::vector<float> ones(cols, 1.0f), zeros(cols, 0.0f);
      for (double offset : {1e4, 1e6}) {
        const auto x = OffsetNormal(cols, static_cast<uint32_t>(cols) + 7, offset);
        std::vector<float> got(cols);
        LayerNorm(x.data(), got.data(), 1, cols, ones.data(), zeros.data(), 1e-12f);
        double mean = 0.0, sq = 0.0;
        for (float y : got) mean += y;
        mean /= static_cast<double>(cols);
        for (float y : got) sq += (y - mean) * (y - mean);
        const double scale_err = std::fabs(std::sqrt(sq / static_cast<double>(cols)) - 1.0);
        worst_mean = test::WorseError(worst_mean, std::fabs(mean));
        worst_scale = test::WorseError(worst_scale, scale_err);
        // Mean and variance to 1e-5 relative is what the header promises
        // (~1e-6); the output's own f32 rounding adds ~1e-7 to both readings.
        CHECK(std::fabs(mean) <= 1e-5);
        CHECK(scale_err <= 1e-5);
      }
    }
    MESSAGE(std::string(target), ": LayerNorm output mean ", worst_mean, ", |std - 1| ",
            worst_scale);
  });
}

TEST_CASE("LayerNorm: constant rows give exactly beta") {
  ForEachTarget([](const char*) {
    for (size_t cols : kSizes) {
      const auto gamma = RandomFloats(cols, 3, 0.5f, 2.0f);
      const auto beta = RandomFloats(cols, 4, -1.0f, 1.0f);
      for (float value : {0.0f, -3.25f, 1e4f, 1e6f, 3e38f}) {
        for (float eps : {1e-12f, 1e-5f}) {
          const std::vector<float> x(2 * cols, value);
          std::vector<float> got(2 * cols);
          LayerNorm(x.data(), got.data(), 2, cols, gamma.data(), beta.data(), eps);
          std::vector<float> want = beta;
          want.insert(want.end(), beta.begin(), beta.end());
          CHECK(got == want);  // variance 0 and deviation exactly 0
        }
      }
    }
  });
}

TEST_CASE("LayerNorm in place equals out of place") {
  ForEachTarget([](const char*) {
    for (size_t cols : kSizes) {
      const auto gamma = RandomFloats(cols, 5, 0.5f, 2.0f);
      const auto beta = RandomFloats(cols, 6, -1.0f, 1.0f);
      const auto x = OffsetNormal(3 * cols, 8, 1e4);
      std::vector<float> out(x.size()), in_place = x;
      LayerNorm(x.data(), out.data(), 3, cols, gamma.data(), beta.data(), 1e-12f);
      LayerNorm(in_place.data(), in_place.data(), 3, cols, gamma.data(), beta.data(), 1e-12f);
      CHECK(in_place == out);
      std::vector<float> ref_in_place = x;
      LayerNormRef(ref_in_place.data(), ref_in_place.data(), 3, cols, gamma.data(), beta.data(),
                   1e-12f);
      CHECK(MaxRelError(in_place.data(), ref_in_place.data(), x.size(), 1.0) <= kTolerance);
    }
  });
}

}  // namespace
}  // namespace tinyenc
