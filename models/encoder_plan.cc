// The encoder's arena plan and input checks.
#include <algorithm>

#include "models/encoder.h"
#include "runtime/arena_planner.h"
#include "simd/attention.h"
#include "simd/matmul.h"

namespace tinyenc {
namespace {

// Steps of the schedule RunEncoder follows; a buffer lives from the step that
// writes it to the last that reads it. Every layer repeats steps
// kNormAttention..kAddFfn over the same buffers.
enum Step : int {
  kEmbed,
  kNormAttention,
  kQkv,
  kAttend,
  kProject,
  kResidual,
  kAddAttention,
  kNormFfn,
  kFfnUp,
  kFfnDown,
  kAddFfn,
  kOutputNorm,
  kPool,
  kPooler,
  kClassify,
  kEnd,
};

size_t MatMulScratch(const WeightMatrix& w, size_t m) {
  return w.data == nullptr ? 0 : MatMulScratchBytes(w.type, m, w.cols);
}

size_t ScratchBytes(const EncoderConfig& config, const EncoderWeights& weights, size_t max_rows,
                    size_t total_rows, size_t max_batch, size_t max_width) {
  size_t bytes = std::max(AttentionScratchBytes(max_rows), max_width * sizeof(float));
  bytes = std::max(bytes, MatMulScratch(weights.input_projection, max_rows));
  bytes = std::max(bytes, MatMulScratch(weights.pooler, max_batch));
  bytes = std::max(bytes, MatMulScratch(weights.classifier, max_batch));
  for (uint32_t i = 0; i < config.layer_count; ++i) {
    const LayerWeights& layer = weights.layers[i];
    for (const WeightMatrix* w : {&layer.q, &layer.k, &layer.v, &layer.out, &layer.up,
                                  &layer.down, &layer.residual}) {
      bytes = std::max(bytes, MatMulScratch(*w, total_rows));
    }
  }
  return bytes;
}

void SetBuffer(ArenaBuffer* buffers, EncoderBuffer id, size_t bytes, Step first, Step last) {
  buffers[id].bytes = bytes;
  buffers[id].first_step = first;
  buffers[id].last_step = last;
}

}  // namespace

size_t ArenaBytesFor(const EncoderPlan& plan) { return plan.arena_bytes + kArenaAlign - 1; }

size_t SequenceRowCount(const EncoderConfig& config, const SequenceInput& input) {
  return input.length + (config.class_token ? 1 : 0);
}

Status PlanEncoder(const EncoderConfig& config, const EncoderWeights& weights, size_t max_rows,
                   size_t max_batch, EncoderPlan* plan) {
  if (max_rows == 0 || max_rows > config.context_length) {
    return Status::Error(StatusCode::kBadSequenceLength,
                         "plan for %lu rows per sequence: the model takes 1 to %u",
                         static_cast<unsigned long>(max_rows), config.context_length);
  }
  // Bounds every product below far from overflow, even on 32-bit targets.
  if (max_batch == 0 || max_batch > 65535 || max_rows * max_batch > (1u << 20)) {
    return Status::Error(StatusCode::kBatchTooLarge,
                         "plan for %lu sequences of %lu rows: 1 to 65535 sequences and at most "
                         "2^20 rows in all",
                         static_cast<unsigned long>(max_batch),
                         static_cast<unsigned long>(max_rows));
  }
  const size_t rows = max_rows * max_batch;
  size_t width = config.embedding_width, layer_width = 0, attention_width = 0, ffn_width = 0;
  bool widens = false;
  for (uint32_t i = 0; i < config.layer_count; ++i) {
    const LayerConfig& layer = config.layers[i];
    width = std::max<size_t>(width, layer.width);
    layer_width = std::max<size_t>(layer_width, layer.width);
    attention_width = std::max<size_t>(attention_width, layer.attention_width);
    ffn_width = std::max<size_t>(ffn_width, layer.ffn_width);
    widens = widens || layer.input_width != layer.width;
  }
  const bool pre_norm = config.norm_position == LayerNormPosition::kPre;
  const size_t hidden = config.hidden_width(), f = sizeof(float);
  const size_t scratch = ScratchBytes(config, weights, max_rows, rows, max_batch, width);

  ArenaBuffer buffers[kEncoderBufferCount];
  SetBuffer(buffers, kHiddenBuffer, rows * width * f, kEmbed, kEnd);
  SetBuffer(buffers, kAttentionInput, pre_norm ? rows * width * f : 0, kNormAttention, kQkv);
  SetBuffer(buffers, kQkvBuffer, 3 * rows * attention_width * f, kQkv, kAttend);
  SetBuffer(buffers, kContextBuffer, rows * attention_width * f, kAttend, kProject);
  SetBuffer(buffers, kProjectedBuffer, rows * layer_width * f, kProject, kAddAttention);
  SetBuffer(buffers, kResidualBuffer, widens ? rows * layer_width * f : 0, kResidual,
            kAddAttention);
  SetBuffer(buffers, kFfnInput, pre_norm ? rows * layer_width * f : 0, kNormFfn, kFfnUp);
  SetBuffer(buffers, kFfnBuffer, rows * ffn_width * f, kFfnUp, kFfnDown);
  SetBuffer(buffers, kFfnOutputBuffer, rows * layer_width * f, kFfnDown, kAddFfn);
  SetBuffer(buffers, kScratchBuffer, scratch, kEmbed, kEnd);
  SetBuffer(buffers, kPooledBuffer, max_batch * hidden * f, kPool, kEnd);
  SetBuffer(buffers, kPoolerBuffer, config.pooler ? max_batch * hidden * f : 0, kPooler, kEnd);
  SetBuffer(buffers, kLogitsBuffer, max_batch * config.label_count * f, kClassify, kEnd);
  SetBuffer(buffers, kRowTableBuffer, max_batch * sizeof(SequenceRows), kEmbed, kEnd);

  plan->max_rows = max_rows;
  plan->max_batch = max_batch;
  plan->arena_bytes = PlanArena(buffers, kEncoderBufferCount);
  for (int i = 0; i < kEncoderBufferCount; ++i) {
    plan->offset[i] = buffers[i].offset;
    plan->bytes[i] = buffers[i].bytes;
  }

  // Without planning, every tensor the forward pass produces would have its
  // own buffer: the embeddings, each layer's intermediates and output, the
  // heads' outputs; plus the scratch and row table.
  size_t unplanned = rows * config.embedding_width * f + scratch + buffers[kRowTableBuffer].bytes;
  for (uint32_t i = 0; i < config.layer_count; ++i) {
    const LayerConfig& layer = config.layers[i];
    const size_t in = layer.input_width, out = layer.width, attention = layer.attention_width;
    size_t values = (pre_norm ? in + out : 0) + 3 * attention + attention + out + out +
                    layer.ffn_width + out + out;  // (norms) qkv, context, projected, add, ffn,
                                                  // down, add
    if (in != out) values += out;
    unplanned += rows * values * f;
  }
  if (config.output_norm) unplanned += rows * hidden * f;
  unplanned += buffers[kPooledBuffer].bytes + buffers[kPoolerBuffer].bytes +
               buffers[kLogitsBuffer].bytes;
  plan->unplanned_bytes = unplanned;
  return Status::Ok();
}

Status CheckEncodeInputs(const EncoderConfig& config, const EncoderPlan& plan,
                         const SequenceInput* inputs, size_t batch) {
  if (batch == 0 || inputs == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "encode: no sequences");
  }
  if (batch > plan.max_batch) {
    return Status::Error(StatusCode::kBatchTooLarge,
                         "encode: %lu sequences, the session was planned for %lu",
                         static_cast<unsigned long>(batch),
                         static_cast<unsigned long>(plan.max_batch));
  }
  for (size_t b = 0; b < batch; ++b) {
    const SequenceInput& input = inputs[b];
    const size_t rows = SequenceRowCount(config, input);
    if (input.length == 0 || input.length > plan.max_rows || rows > plan.max_rows) {
      return Status::Error(StatusCode::kBadSequenceLength,
                           "sequence %lu: %lu rows; the session takes 1 to %lu (context %u)",
                           static_cast<unsigned long>(b), static_cast<unsigned long>(rows),
                           static_cast<unsigned long>(plan.max_rows), config.context_length);
    }
    if (config.input == InputType::kFeatures) {
      if (input.features == nullptr) {
        return Status::Error(StatusCode::kInvalidArgument, "sequence %lu: features are null",
                             static_cast<unsigned long>(b));
      }
      continue;
    }
    if (input.token_ids == nullptr) {
      return Status::Error(StatusCode::kInvalidArgument, "sequence %lu: token ids are null",
                           static_cast<unsigned long>(b));
    }
    for (size_t t = 0; t < input.length; ++t) {
      const int32_t id = input.token_ids[t];
      if (id < 0 || static_cast<uint32_t>(id) >= config.vocab_size) {
        return Status::Error(StatusCode::kTokenOutOfRange,
                             "sequence %lu, token %lu: id %d is outside the vocabulary of %u",
                             static_cast<unsigned long>(b), static_cast<unsigned long>(t), id,
                             config.vocab_size);
      }
      const int32_t type = input.type_ids == nullptr ? 0 : input.type_ids[t];
      const uint32_t types = config.token_type_count == 0 ? 1 : config.token_type_count;
      if (type < 0 || static_cast<uint32_t>(type) >= types) {
        return Status::Error(StatusCode::kTokenOutOfRange,
                             "sequence %lu, token %lu: type id %d; the model has %u type%s",
                             static_cast<unsigned long>(b), static_cast<unsigned long>(t), type,
                             types, types == 1 ? "" : "s");
      }
    }
  }
  return Status::Ok();
}

}  // namespace tinyenc
