// The quantizers against numpy implementations of the GGUF rules
// (tests/simd/golden/make_golden.py): weight blocks must be byte-identical to
// what llama.cpp writes, and dequantization and the activation quantizer are
// exact float32 arithmetic, so every comparison here is exact.
#include "simd/quantize.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "golden.h"
#include "runtime/core/weight_types.h"

namespace tinyenc {
namespace {

using test::Golden;
using test::KernelGolden;

const Golden& LoadedGolden() {
  const Golden& golden = KernelGolden();
  REQUIRE_MESSAGE(golden.error().empty(), golden.error());
  return golden;
}

// Index of the first differing element, or -1 if the vectors are equal.
template <typename T>
long FirstMismatch(const std::vector<T>& got, const std::vector<T>& want) {
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
    if (!(got[i] == want[i])) return static_cast<long>(i);
  }
  return got.size() == want.size() ? -1 : static_cast<long>(std::min(got.size(), want.size()));
}

template <typename Block>
void CheckWeightQuantizer(const char* group, WeightType type,
                          void (*quantize)(const float*, size_t, Block*)) {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases(group);
  // normal, uniform, scaled and the edge-case row.
  REQUIRE(cases.size() >= 4);
  for (const std::string& name : cases) {
    const std::string prefix = std::string(group) + "." + name;
    INFO("case ", prefix);
    const std::vector<float> x = golden.F32(prefix + ".x");
    const std::vector<uint8_t> want = golden.Ints<uint8_t>(prefix + ".blocks");
    REQUIRE(x.size() % kQuantBlock == 0);
    std::vector<Block> blocks(x.size() / kQuantBlock);
    quantize(x.data(), x.size(), blocks.data());
    std::vector<uint8_t> got(blocks.size() * sizeof(Block));
    std::memcpy(got.data(), blocks.data(), got.size());
    const long byte = FirstMismatch(got, want);
    CHECK_MESSAGE(byte == -1, "first differing byte ", byte, " is in block ",
                  byte / static_cast<long>(sizeof(Block)));

    // Dequantize the golden bytes, not ours, so a quantizer bug cannot hide
    // a dequantizer bug.
    const std::vector<float> deq_want = golden.F32(prefix + ".deq");
    REQUIRE(want.size() == RowBytes(type, x.size()));
    std::vector<float> deq(x.size());
    DequantizeRow(type, want.data(), x.size(), deq.data());
    CHECK(FirstMismatch(deq, deq_want) == -1);
  }
}

TEST_CASE("QuantizeRowQ8_0 writes llama.cpp's bytes; DequantizeRow inverts them exactly") {
  CheckWeightQuantizer<BlockQ8_0>("q8", WeightType::kQ8_0, QuantizeRowQ8_0);
}

TEST_CASE("QuantizeRowQ4_0 writes llama.cpp's bytes; DequantizeRow inverts them exactly") {
  CheckWeightQuantizer<BlockQ4_0>("q4", WeightType::kQ4_0, QuantizeRowQ4_0);
}

TEST_CASE("DequantizeRow for F16 and F32 rows") {
  const Golden& golden = LoadedGolden();
  const std::vector<uint16_t> bits = golden.Ints<uint16_t>("f16row.a.bits");
  const std::vector<float> want = golden.F32("f16row.a.deq");
  std::vector<float> got(bits.size());
  DequantizeRow(WeightType::kF16, bits.data(), bits.size(), got.data());
  CHECK(FirstMismatch(got, want) == -1);

  const std::vector<float> x = golden.F32("act.normal.x");
  std::vector<float> copy(x.size());
  DequantizeRow(WeightType::kF32, x.data(), x.size(), copy.data());
  CHECK(FirstMismatch(copy, x) == -1);
}

TEST_CASE("QuantizeActivationsRef: f32 scale amax / 127, codes rounded half to even") {
  const Golden& golden = LoadedGolden();
  const std::vector<std::string> cases = golden.Cases("act");
  REQUIRE(cases.size() >= 4);
  for (const std::string& name : cases) {
    const std::string prefix = "act." + name;
    INFO("case ", prefix);
    const std::vector<float> x = golden.F32(prefix + ".x");
    const std::vector<float> scales = golden.F32(prefix + ".scale");
    const std::vector<int8_t> codes = golden.Ints<int8_t>(prefix + ".codes");
    REQUIRE(scales.size() * kQuantBlock == x.size());
    REQUIRE(codes.size() == x.size());
    for (size_t b = 0; b < scales.size(); ++b) {
      INFO("block ", b);
      int32_t got[kQuantBlock];
      const float scale = QuantizeActivationsRef(&x[b * kQuantBlock], kQuantBlock, 127, got);
      CHECK(scale == scales[b]);
      CHECK(FirstMismatch(std::vector<int8_t>(got, got + kQuantBlock),
                          std::vector<int8_t>(codes.begin() + b * kQuantBlock,
                                              codes.begin() + (b + 1) * kQuantBlock)) == -1);
    }
  }
}

}  // namespace
}  // namespace tinyenc
