// libFuzzer harness: Model::Load on arbitrary bytes, then arena sizing,
// Session::Init and an Encode of a batch of two sequences whose ids come from
// the model, and every output read; for a keyword model, Listen to a window
// and to the next one a stride later.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tinyenc/model.h"
#include "tinyenc/session.h"

namespace {

// Arenas over this are sized but not allocated: the fuzzer's memory limit is
// for finding leaks and overflows, not for holding huge plans.
constexpr size_t kMaxArena = 64 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Load needs 4-byte aligned bytes, as a mapped file has.
  std::vector<uint32_t> aligned((size + 3) / 4);
  if (size != 0) std::memcpy(aligned.data(), data, size);
  tinyenc::Model model;
  if (!model.Load(aligned.data(), size).ok()) return 0;
  const tinyenc::EncoderConfig& config = model.config();
  const size_t rows = config.context_length < 8 ? config.context_length : 8;
  size_t bytes = 0;
  if (!tinyenc::ArenaBytes(model, rows, 2, &bytes).ok() || bytes > kMaxArena) return 0;
  std::vector<uint8_t> arena(bytes);
  tinyenc::Session session;
  if (!session.Init(model, arena.data(), arena.size(), rows, 2).ok()) return 0;

  std::vector<int32_t> ids(rows), types(rows, 0);
  std::vector<float> features(rows * (config.feature_length ? config.feature_length : 1), 0.5f);
  for (size_t i = 0; i < rows; ++i) {
    ids[i] = config.vocab_size == 0 ? 0 : static_cast<int32_t>((i * 7919 + size) % config.vocab_size);
  }
  tinyenc::SequenceInput inputs[2] = {};
  for (size_t b = 0; b < 2; ++b) {
    inputs[b].token_ids = ids.data();
    inputs[b].type_ids = types.data();
    inputs[b].features = features.data();
    // The class token, when the model adds one, takes a row.
    const size_t frames = rows - (config.class_token ? 1 : 0);
    inputs[b].length = b == 0 ? frames : (frames + 1) / 2;
  }
  for (const tinyenc::Pooling pooling : {tinyenc::Pooling::kMean, tinyenc::Pooling::kNone}) {
    session.set_pooling(pooling);
    if (!session.Encode(inputs, 2).ok()) return 0;
    volatile float sum = 0;
    for (size_t b = 0; b < session.batch(); ++b) {
      const float* hidden = session.Hidden(b);
      for (size_t i = 0; i < session.Rows(b) * session.hidden_width(); ++i) sum = sum + hidden[i];
      if (const float* embedding = session.Embedding(b)) {
        for (size_t i = 0; i < session.hidden_width(); ++i) sum = sum + embedding[i];
      }
      if (const float* logits = session.Logits(b)) {
        for (size_t i = 0; i < config.label_count; ++i) sum = sum + logits[i];
      }
    }
  }
  const tinyenc::AudioConfig& audio = model.audio();
  if (audio.sample_rate == 0 || rows < config.context_length || audio.clip_samples > (1u << 16)) {
    return 0;
  }
  session.set_pooling(config.pooling);  // the loop above left it at none: no logits
  std::vector<int16_t> samples(audio.clip_samples + audio.window_stride);
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<int16_t>(i * 2654435761u);
  if (!session.Listen(samples.data(), audio.clip_samples).ok()) return 0;
  if (!session.Listen(samples.data() + audio.window_stride, audio.clip_samples,
                      audio.window_stride).ok()) {
    return 0;
  }
  volatile float sum = 0;
  if (const float* logits = session.Logits(0)) {
    for (size_t i = 0; i < config.label_count; ++i) sum = sum + logits[i];
  }
  return 0;
}
