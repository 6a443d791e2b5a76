// The scalar references (*Ref), which the SIMD kernels are tested against,
// checked in turn against PyTorch and float64 numpy values from
// tests/simd/golden/make_golden.py.
//
// Tolerances: every reference here computes in double and rounds its result
// to float32 once, so it should be within half an ulp of the float64 golden,
// a relative error of at most 2^-24 = 6.0e-8, plus double-precision noise far
// below that. kOneRounding = 2e-7 (about 3.4 x 2^-24) keeps room for one
// more float32 rounding of an intermediate, yet fails any float32
// accumulation over more than a handful of terms. Each floor below turns the
// metric absolute near zero, where cancellation (to ~1e-16 of the magnitudes
// involved, in the golden or in double inside the reference) or float32
// subnormals rule out relative accuracy.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "golden.h"
#include "simd/activations.h"
#include "simd/attention.h"
#include "simd/elementwise.h"
#include "runtime/core/f16.h"
#include "simd/layernorm.h"
#include "simd/matmul.h"
#include "simd/softmax.h"
#include "runtime/core/weight_types.h"
#include "test_util.h"

namespace tinyenc {
namespace {

using test::Golden;
using test::MaxRelError64;
using test::WorstError;

constexpr double kOneRounding = 2e-7;

const Golden& LoadedGolden() {
  const Golden& golden = test::KernelGolden();
  REQUIRE_MESSAGE(golden.error().empty(), golden.error());
  return golden;
}

// Checks one case and returns its error for the kernel's summary line.
double CheckClose(const std::string& what, const std::vector<float>& got,
                  const std::vector<double>& want, double floor, double tolerance) {
  REQUIRE(got.size() == want.size());
  REQUIRE(!got.empty());
  const WorstError worst = MaxRelError64(got, want, floor);
  std::ostringstream detail;
  detail << std::setprecision(17) << what << ": worst error " << worst.error << " at index "
         << worst.index << " (got " << got[worst.index] << ", want " << want[worst.index]
         << ", floor " << floor << ")";
  CHECK_MESSAGE(worst.error <= tolerance, detail.str());
  return worst.error;
}

void Summarize(const std::string& kernel, double worst, double tolerance) {
  MESSAGE(kernel, ": max error vs golden ", worst, " (tolerance ", tolerance, ")");
}

size_t Size(int64_t value) { return static_cast<size_t>(value); }

TEST_CASE("MatMulRef vs float64 products of the dequantized operands") {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases("matmul");
  REQUIRE(cases.size() >= 28);  // 5 block shapes x 5 types, 2 odd K x 3, one long I8 row
  // Outputs are O(1..10); 1e-6 only matters for outputs cancelled 1e6-fold.
  constexpr double kFloor = 1e-6;
  double worst[static_cast<size_t>(WeightType::kI8) + 1] = {};  // by type id
  for (const std::string& name : cases) {
    const std::string prefix = "matmul." + name;
    INFO("case ", prefix);
    const std::vector<int64_t> shape = golden.Ints<int64_t>(prefix + ".shape");
    REQUIRE(shape.size() == 5);
    const size_t m = Size(shape[0]), k = Size(shape[1]), n = Size(shape[2]);
    const auto type = static_cast<WeightType>(shape[3]);
    const bool has_bias = shape[4] != 0;
    const std::vector<float> x = golden.F32(prefix + ".x");
    // The golden's own weight bytes: the reference reads exactly what the
    // float64 product was computed from.
    std::vector<uint8_t> weights(n * RowBytes(type, k));
    if (type == WeightType::kF32) {
      const std::vector<float> w = golden.F32(prefix + ".w");
      REQUIRE(w.size() * sizeof(float) == weights.size());
      std::memcpy(weights.data(), w.data(), weights.size());
    } else if (type == WeightType::kF16) {
      const std::vector<uint16_t> w = golden.Ints<uint16_t>(prefix + ".w");
      REQUIRE(w.size() * sizeof(uint16_t) == weights.size());
      std::memcpy(weights.data(), w.data(), weights.size());
    } else {
      const std::vector<uint8_t> w = golden.Ints<uint8_t>(prefix + ".w");
      REQUIRE(w.size() == weights.size());
      weights = w;
    }
    const std::vector<float> row_scales =
        type == WeightType::kI8 ? golden.F32(prefix + ".scale") : std::vector<float>(n);
    REQUIRE(row_scales.size() == n);
    const std::vector<float> bias = has_bias ? golden.F32(prefix + ".bias") : std::vector<float>();
    const WeightMatrix matrix{weights.data(), type, n, k, row_scales.data()};
    std::vector<float> y(m * n);
    REQUIRE(x.size() == m * k);
    REQUIRE(FindWeightType(static_cast<uint32_t>(type)) != nullptr);
    MatMulRef(x.data(), m, matrix, has_bias ? bias.data() : nullptr, y.data());
    const double err = CheckClose(prefix, y, golden.F64(prefix + ".y"), kFloor, kOneRounding);
    double& type_worst = worst[static_cast<size_t>(type)];
    type_worst = test::WorseError(type_worst, err);
  }
  for (WeightType type : {WeightType::kF32, WeightType::kF16, WeightType::kQ8_0, WeightType::kQ4_0,
                          WeightType::kI8}) {
    Summarize((std::string("MatMulRef ") + WeightTypeName(type)).c_str(),
              worst[static_cast<size_t>(type)], kOneRounding);
  }
}

TEST_CASE("SoftmaxRef vs torch.softmax in float64") {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases("softmax");
  REQUIRE(cases.size() >= 5);
  // Probabilities below 1e-30 are compared absolutely: float32 subnormals
  // cannot carry 2e-7 relative precision there.
  constexpr double kFloor = 1e-30;
  double worst = 0.0;
  for (const std::string& name : cases) {
    const std::string prefix = "softmax." + name;
    INFO("case ", prefix);
    const std::vector<int64_t> shape = golden.Ints<int64_t>(prefix + ".shape");
    REQUIRE(shape.size() == 3);
    const size_t rows = Size(shape[0]), cols = Size(shape[1]);
    std::vector<float> x = golden.F32(prefix + ".x");
    REQUIRE(x.size() == rows * cols);
    const float scale = golden.F32(prefix + ".scale").at(0);
    const std::vector<float> mask = shape[2] ? golden.F32(prefix + ".mask") : std::vector<float>();
    SoftmaxRef(x.data(), rows, cols, scale, shape[2] ? mask.data() : nullptr);
    worst = test::WorseError(worst, CheckClose(prefix, x, golden.F64(prefix + ".y"), kFloor, kOneRounding));
  }
  Summarize("SoftmaxRef", worst, kOneRounding);
}

TEST_CASE("LayerNormRef vs two-pass float64 layer norm (checked against torch)") {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases("layernorm");
  REQUIRE(cases.size() >= 5);
  // Outputs are O(1). With a 1e4 offset and std 0.01 the golden's mean is
  // known to ~1e-12, i.e. ~1e-10 of a normalized value; the floor of 1e-2
  // allows 2e-9 absolute near zero, well above that and far below any f32 bug.
  constexpr double kFloor = 1e-2;
  double worst = 0.0;
  for (const std::string& name : cases) {
    const std::string prefix = "layernorm." + name;
    INFO("case ", prefix);
    const std::vector<int64_t> shape = golden.Ints<int64_t>(prefix + ".shape");
    REQUIRE(shape.size() == 2);
    const size_t rows = Size(shape[0]), cols = Size(shape[1]);
    const std::vector<float> x = golden.F32(prefix + ".x");
    const std::vector<float> gamma = golden.F32(prefix + ".gamma");
    const std::vector<float> beta = golden.F32(prefix + ".beta");
    REQUIRE(x.size() == rows * cols);
    REQUIRE(gamma.size() == cols);
    REQUIRE(beta.size() == cols);
    const float eps = golden.F32(prefix + ".eps").at(0);
    const std::vector<double> want = golden.F64(prefix + ".y");
    std::vector<float> out(x.size());
    LayerNormRef(x.data(), out.data(), rows, cols, gamma.data(), beta.data(), eps);
    worst = test::WorseError(worst, CheckClose(prefix, out, want, kFloor, kOneRounding));
    std::vector<float> in_place = x;  // out may alias x
    LayerNormRef(in_place.data(), in_place.data(), rows, cols, gamma.data(), beta.data(), eps);
    CHECK(in_place == out);
  }
  Summarize("LayerNormRef", worst, kOneRounding);
}

TEST_CASE("GeluErfRef, GeluTanhRef and ReluRef vs torch in float64") {
  const Golden& golden = LoadedGolden();
  const std::vector<float> x = golden.F32("act_fn.main.x");
  REQUIRE(x.size() > 500);
  // The goldens are accurate to ~1e-16 relative everywhere (no 1 + erf
  // cancellation), so GeluErfRef, which uses erfc, is held to relative
  // accuracy down to the float32 normal range (floor 1e-37).
  std::vector<float> v = x;
  GeluErfRef(v.data(), v.size());
  Summarize("GeluErfRef", CheckClose("gelu_erf", v, golden.F64("act_fn.main.gelu_erf"), 1e-37,
                                     kOneRounding),
            kOneRounding);

  // GeluTanhRef evaluates 1 + tanh(u) as torch does, which cancels for
  // x < -5: its absolute error there is ~1e-16 |x| (it returns -0 for
  // x <= -8, where GELU is below 3e-21). The floor 1e-7 compares outputs
  // below 1e-7 absolutely (2e-14), a difference no encoder can see.
  v = x;
  GeluTanhRef(v.data(), v.size());
  Summarize("GeluTanhRef", CheckClose("gelu_tanh", v, golden.F64("act_fn.main.gelu_tanh"), 1e-7,
                                      kOneRounding),
            kOneRounding);

  v = x;
  ReluRef(v.data(), v.size());
  // max(x, 0) is exact.
  CheckClose("relu", v, golden.F64("act_fn.main.relu"), 1e-37, 0.0);
}

TEST_CASE("Erf (SIMD, every target) vs math.erf: documented 1e-6 absolute") {
  const Golden& golden = LoadedGolden();
  const std::vector<float> x = golden.F32("act_fn.main.x");
  const std::vector<double> want = golden.F64("act_fn.main.erf");
  // activations.h promises max absolute error <= 1e-6 over all finite floats;
  // a floor of 1 makes the metric absolute, as |erf| <= 1.
  constexpr double kTolerance = 1e-6;
  double worst = 0.0;
  test::ForEachTarget([&](const char* target) {
    std::vector<float> got(x.size());
    Erf(x.data(), got.data(), x.size());
    worst = test::WorseError(worst, CheckClose(std::string("erf on ") + target, got, want, 1.0,
                                        kTolerance));
  });
  Summarize("Erf (absolute)", worst, kTolerance);
}

TEST_CASE("AttentionRef vs torch softmax(QK^T * scale) V in float64") {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases("attn");
  REQUIRE(cases.size() >= 5);
  // Outputs are averages of V values of magnitude ~1.5; 1e-3 only matters
  // for outputs cancelled a thousandfold.
  constexpr double kFloor = 1e-3;
  constexpr float kSentinel = 12345.0f;
  double worst = 0.0;
  for (const std::string& name : cases) {
    const std::string prefix = "attn." + name;
    INFO("case ", prefix);
    const std::vector<int64_t> shape = golden.Ints<int64_t>(prefix + ".shape");
    REQUIRE(shape.size() == 8);
    AttentionShape s;
    s.seq = Size(shape[0]);
    s.heads = Size(shape[1]);
    s.head_dim = Size(shape[2]);
    s.q_stride = s.k_stride = s.v_stride = Size(shape[3]);
    s.out_stride = Size(shape[7]);
    const size_t hidden = s.heads * s.head_dim;
    REQUIRE(s.out_stride >= hidden);
    const std::vector<float> qkv = golden.F32(prefix + ".qkv");
    REQUIRE(qkv.size() == s.seq * s.q_stride);
    const float scale = golden.F32(prefix + ".scale").at(0);
    // Output columns past `hidden` in each row must be left alone.
    std::vector<float> out(s.seq * s.out_stride, kSentinel);
    AttentionRef(qkv.data() + shape[4], qkv.data() + shape[5], qkv.data() + shape[6], s, scale,
                 out.data());
    std::vector<float> dense;
    bool padding_kept = true;
    for (size_t i = 0; i < s.seq; ++i) {
      dense.insert(dense.end(), out.begin() + i * s.out_stride,
                   out.begin() + i * s.out_stride + hidden);
      for (size_t c = hidden; c < s.out_stride; ++c) {
        padding_kept = padding_kept && out[i * s.out_stride + c] == kSentinel;
      }
    }
    CHECK(padding_kept);
    worst = test::WorseError(worst, CheckClose(prefix, dense, golden.F64(prefix + ".y"), kFloor,
                                        kOneRounding));
  }
  Summarize("AttentionRef", worst, kOneRounding);
}

TEST_CASE("MeanPoolRef vs torch mean in float64") {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases("meanpool");
  REQUIRE(cases.size() >= 4);
  constexpr double kFloor = 1e-3;  // inputs O(1..100)
  double worst = 0.0;
  for (const std::string& name : cases) {
    const std::string prefix = "meanpool." + name;
    INFO("case ", prefix);
    const std::vector<int64_t> shape = golden.Ints<int64_t>(prefix + ".shape");
    REQUIRE(shape.size() == 2);
    const size_t rows = Size(shape[0]), cols = Size(shape[1]);
    const std::vector<float> x = golden.F32(prefix + ".x");
    REQUIRE(x.size() == rows * cols);
    std::vector<float> out(cols);
    MeanPoolRef(x.data(), rows, cols, out.data());
    worst = test::WorseError(worst, CheckClose(prefix, out, golden.F64(prefix + ".y"), kFloor,
                                        kOneRounding));
  }
  Summarize("MeanPoolRef", worst, kOneRounding);
}

TEST_CASE("L2NormalizeRef vs torch.nn.functional.normalize in float64") {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases("l2norm");
  REQUIRE(cases.size() >= 5);
  constexpr double kFloor = 1e-6;  // outputs up to 1, ~0.09 typical at n = 128
  double worst = 0.0;
  for (const std::string& name : cases) {
    const std::string prefix = "l2norm." + name;
    INFO("case ", prefix);
    std::vector<float> v = golden.F32(prefix + ".x");
    L2NormalizeRef(v.data(), v.size());
    worst = test::WorseError(worst, CheckClose(prefix, v, golden.F64(prefix + ".y"), kFloor,
                                        kOneRounding));
  }
  Summarize("L2NormalizeRef", worst, kOneRounding);
}

TEST_CASE("scalar F32ToF16 / F16ToF32 match numpy bit for bit") {
  const Golden& golden = LoadedGolden();
  const std::vector<float> in = golden.F32("f16.conv.f32_in");
  const std::vector<uint16_t> want16 = golden.Ints<uint16_t>("f16.conv.f16_out");
  REQUIRE(in.size() == want16.size());
  REQUIRE(in.size() > 1500);
  size_t mismatches = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const uint16_t got = tinyenc::F32ToF16(in[i]);
    if (got != want16[i]) {
      ++mismatches;
      INFO("F32ToF16(", in[i], ") = ", got, ", numpy ", want16[i]);
      CHECK(got == want16[i]);
    }
  }
  CHECK(mismatches == 0);

  const std::vector<uint16_t> halves = golden.Ints<uint16_t>("f16.conv.f16_in");
  const std::vector<uint32_t> want32 = golden.Ints<uint32_t>("f16.conv.f32_bits");
  REQUIRE(halves.size() == want32.size());
  mismatches = 0;
  for (size_t i = 0; i < halves.size(); ++i) {
    const float value = tinyenc::F16ToF32(halves[i]);
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    // NaN payloads included: numpy and F16ToF32 both keep them.
    if (bits != want32[i]) {
      ++mismatches;
      INFO("F16ToF32(", halves[i], ") bits ", bits, ", numpy ", want32[i]);
      CHECK(bits == want32[i]);
    }
  }
  CHECK(mismatches == 0);
}

}  // namespace
}  // namespace tinyenc
