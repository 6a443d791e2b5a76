// Sizes computed from untrusted values never wrap (F2, F3): the cases are
// built in memory and only sized, so they run in every build, the 32-bit
// ones (armhf, Cortex-M) included, where the wrap-around lived. Each checks
// that a size is either the true one (computed here in 64 bits) or refused.
#include <cstdint>

#include "doctest/doctest.h"
#include "models/encoder.h"
#include "models/tokenizer/tokenizer_state.h"
#include "models/tokenizer/unicode_data.h"
#include "runtime/core/checked_math.h"
#include "simd/matmul_scratch.h"
#include "tests/test_util.h"

namespace tinyenc {
namespace {

constexpr bool k32Bit = sizeof(size_t) == 4;

TEST_CASE("CheckedSize remembers an overflow and reads as SIZE_MAX") {
  const CheckedSize big = SIZE_MAX / 2 + 1;
  CHECK(!(big + (SIZE_MAX / 2)).overflowed());
  CHECK((big * 2).overflowed());
  CHECK((big * 2).value() == SIZE_MAX);
  CHECK((big * 2 * 0).overflowed());  // an overflow is not undone by later terms
  CHECK((big + big).overflowed());
  CHECK((CheckedSize(3) * 4 + 5).value() == 17);
}

// One post-LN layer of the given widths, with the shapes the schedule reads
// (no weight data: the plan only sizes).
EncoderModel ModelOfWidths(uint32_t width, uint32_t ffn, uint32_t context) {
  EncoderModel model;
  EncoderConfig& config = model.config;
  config.layer_count = 1;
  config.embedding_width = width;
  config.context_length = context;
  config.layers[0] = {width, width, width, 4, ffn};
  LayerWeights& layer = model.weights.layers[0];
  layer.out.rows = width;
  layer.up.rows = ffn;
  layer.down.rows = width;
  return model;
}

// The plan of rows x batch either holds its FFN buffer (rows x batch x ffn
// floats, in 64 bits) or is refused with kBatchTooLarge, which happens only
// where size_t cannot hold it.
void CheckPlan(uint32_t ffn, uint32_t context, size_t rows, size_t batch) {
  const EncoderModel model = ModelOfWidths(256, ffn, context);
  EncoderPlan plan;
  const Status status = PlanEncoder(model, rows, batch, 0, &plan);
  const uint64_t ffn_bytes = uint64_t{rows} * batch * ffn * sizeof(float);
  INFO(status.message());
  if (ffn_bytes > SIZE_MAX) {
    CHECK(status.code() == StatusCode::kBatchTooLarge);
  } else {
    REQUIRE(status.ok());
    CHECK(uint64_t{ArenaBytesFor(plan)} >= ffn_bytes);
  }
}

TEST_CASE("F2: the arena plan of 16 rows x 65535 sequences, FFN 1056, does not wrap") {
  CheckPlan(1056, 16, 16, 65535);  // 4.4 GB: refused on 32-bit
}

TEST_CASE("F2: the arena plan of one 2^20-row sequence, FFN 1024, does not wrap") {
  CheckPlan(1024, 1u << 20, 1u << 20, 1);  // 4.3 GB: refused on 32-bit
}

TEST_CASE("F2: a plan that fits is not refused") { CheckPlan(1024, 512, 512, 4); }

TEST_CASE("F2: MatMul's scratch size saturates instead of wrapping") {
  CHECK(QuantizedRows::Bytes(SIZE_MAX / 16, 64) == SIZE_MAX);
  CHECK(QuantizedRows::Bytes(1, 64) > 64);
}

TEST_CASE("F3: the unigram scratch for a 45 MB text is its true size or SIZE_MAX") {
  const size_t text = 45000000;
  const uint64_t symbols = uint64_t{text} * unicode::kMaxNfkdPerUtf8Byte + 2;
  const uint64_t want = (sizeof(double) + 2 * sizeof(uint32_t)) * symbols + kTokenizerAlign;
  if (k32Bit) {
    CHECK(UnigramScratchBytes(text) == SIZE_MAX);
  } else {
    CHECK(UnigramScratchBytes(text) == want);
  }
}

}  // namespace
}  // namespace tinyenc
