// The weight quantizers against llama.cpp's own C quantizer: the bytes in
// ../shared/data/ggml-quant (its README: 32 rows of 256 floats, 12 of them
// edge cases, quantized by ggml_quantize_chunk at a pinned llama.cpp commit).
// This is the outside oracle: kernels.golden's blocks come from the
// project's own Python quantizer, so a rounding change made in both would
// pass quantize_test. Every byte must match. Skips (exit 77) when ../shared
// is absent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "simd/quantize.h"
#include "tests/skip.h"

namespace tinyenc {
namespace {

constexpr size_t kRows = 32, kCols = 256;

std::vector<uint8_t> ReadShared(const std::string& name) {
  const char* root = std::getenv("TINYENC_SOURCE_ROOT");
  REQUIRE_MESSAGE(root != nullptr, "TINYENC_SOURCE_ROOT is not set (meson test sets it)");
  const std::string path = std::string(root) + "/../shared/data/ggml-quant/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) test::SkipTest(path + " is not here (llama.cpp's reference blocks, ../shared)");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

template <typename Block>
void CheckAgainstLlamaCpp(const char* file, void (*quantize)(const float*, size_t, Block*)) {
  const std::vector<uint8_t> raw = ReadShared("rows.f32");
  const std::vector<uint8_t> want = ReadShared(file);
  REQUIRE(raw.size() == kRows * kCols * sizeof(float));
  REQUIRE(want.size() == kRows * kCols / kQuantBlock * sizeof(Block));
  std::vector<float> x(kRows * kCols);
  std::memcpy(x.data(), raw.data(), raw.size());
  size_t rows_equal = 0;
  for (size_t r = 0; r < kRows; ++r) {
    std::vector<Block> blocks(kCols / kQuantBlock);
    quantize(x.data() + r * kCols, kCols, blocks.data());
    const uint8_t* got = reinterpret_cast<const uint8_t*>(blocks.data());
    const uint8_t* expected = want.data() + r * blocks.size() * sizeof(Block);
    const size_t bytes = blocks.size() * sizeof(Block);
    size_t first = bytes;
    for (size_t i = 0; i < bytes && first == bytes; ++i) {
      if (got[i] != expected[i]) first = i;
    }
    if (first == bytes) {
      ++rows_equal;
    } else {
      FAIL_CHECK("row ", r, ": first differing byte ", first, " (block ", first / sizeof(Block),
                 ", byte ", first % sizeof(Block), "): got ", int(got[first]), ", llama.cpp ",
                 int(expected[first]));
    }
  }
  MESSAGE(rows_equal, " of ", kRows, " rows byte-identical to llama.cpp");
  CHECK(rows_equal == kRows);
}

TEST_CASE("QuantizeRowQ8_0 writes llama.cpp's bytes for ../shared/data/ggml-quant") {
  CheckAgainstLlamaCpp<BlockQ8_0>("rows.q8_0", QuantizeRowQ8_0);
}

TEST_CASE("QuantizeRowQ4_0 writes llama.cpp's bytes for ../shared/data/ggml-quant") {
  CheckAgainstLlamaCpp<BlockQ4_0>("rows.q4_0", QuantizeRowQ4_0);
}

}  // namespace
}  // namespace tinyenc
