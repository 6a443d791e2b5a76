// The encoder's schedule: every step of one forward pass, in order, with the
// buffers it reads and writes and the shape of what it writes. The arena plan
// (buffer sizes and lifetimes, encoder_plan.cc) and the forward pass
// (encoder-inl.h) both walk this one schedule, so they cannot disagree.
#ifndef TINYENC_MODELS_ENCODER_SCHEDULE_H_
#define TINYENC_MODELS_ENCODER_SCHEDULE_H_

#include <cstddef>
#include <cstdint>

#include "models/encoder_weights.h"
#include "tinyenc/model_types.h"

namespace tinyenc {

// Buffers of the arena plan. Layers run one after another and reuse the
// same buffers, each sized for its largest use. In a tiled plan every buffer
// a tile's steps write holds that tile's rows only, except the two that hold
// all rows (HoldsAllRows).
enum EncoderBuffer : uint8_t {
  kHiddenBuffer,      // hidden states of all sequences, packed; an output
  kAttentionInput,    // pre-LN: the normalized layer input
  kQueryBuffer,       // Q, rows x attention width
  kKeyValueBuffer,    // K then V, each rows x attention width
  kContextBuffer,     // attention output
  kProjectedBuffer,   // attention output projected
  kResidualBuffer,    // widening layers: the projected residual
  kFfnInput,          // pre-LN: the normalized FFN input
  kFfnBuffer,         // FFN hidden layer
  kFfnOutputBuffer,
  kScratchBuffer,     // kernel scratch (quantized activations, attention scores)
  kPooledBuffer,      // an output
  kPoolerBuffer,      // an output
  kLogitsBuffer,      // an output
  kRowTableBuffer,    // SequenceRows per sequence; an output
  kEncoderBufferCount,
  kNoBuffer = kEncoderBufferCount,
};

enum class StepOp : uint8_t {
  kEmbed,       // token or feature embeddings plus positions -> out
  kLayerNorm,   // in -> out (in place when in == out); with in2, in += in2 first, row by row
  kKeyValue,    // in -> K, V in out
  kAttention,   // Q in `in`, K and V in `in2` -> out, each sequence over its own rows
  kDense,       // in -> out through `matrix` and `bias`
  kActivate,    // out in place
  kAccumulate,  // out += in
  kSum,         // out = in + in2
  kPool,        // in (hidden) -> one row per sequence in out
  kTanh,        // out in place
  kNormalize,   // out in place, each row to unit L2 norm
};

// Rows a step writes: every token of the batch, or one per sequence.
enum class StepRows : uint8_t { kTokens, kSequences };

struct Step {
  StepOp op;
  EncoderBuffer out;
  EncoderBuffer in = kNoBuffer;
  EncoderBuffer in2 = kNoBuffer;
  StepRows rows = StepRows::kTokens;
  // Nonzero: the step is one of a tile loop, the consecutive steps of this
  // number, which run one after another for a tile of rows, tile after tile.
  uint8_t tile_loop = 0;
  uint32_t width = 0;    // values per row of `out` (K, V: of each)
  uint32_t layer = 0;    // layer steps: the layer
  const WeightMatrix* matrix = nullptr;  // kDense, kEmbed (feature projection)
  const float* bias = nullptr;
  const float* gamma = nullptr;  // kLayerNorm
  const float* beta = nullptr;
};

// Whether a step changes `out` in place (reads it first) rather than
// overwriting it.
inline bool UpdatesInPlace(StepOp op) {
  return op == StepOp::kActivate || op == StepOp::kAccumulate || op == StepOp::kTanh ||
         op == StepOp::kNormalize;
}

// Whether a step uses the scratch buffer.
inline bool UsesScratch(StepOp op) {
  return op == StepOp::kEmbed || op == StepOp::kKeyValue || op == StepOp::kAttention ||
         op == StepOp::kDense;
}

// Whether a buffer holds every row in a tiled plan too: the hidden states,
// which a tile updates in place, and K and V, which every tile's queries
// attend to, so they are computed for all rows before the first query tile.
inline bool HoldsAllRows(EncoderBuffer buffer) {
  return buffer == kHiddenBuffer || buffer == kKeyValueBuffer;
}

// The most steps in one tile loop: a layer's after its K and V.
constexpr size_t kMaxTileLoopSteps = 10;

// Whether a step reads the row table (sequence boundaries).
inline bool ReadsRowTable(StepOp op) {
  return op == StepOp::kEmbed || op == StepOp::kAttention || op == StepOp::kPool;
}

struct ScheduleOptions {
  bool heads = true;       // pool (and the pooler and classifier after it)
  bool normalize = false;  // L2-normalize the embeddings
  // Row-independent steps in tile loops: every layer (but widening ones) as
  // K and V for all rows, a tile at a time, then the rest of the layer (Q,
  // attention, projections, FFN), a tile of query rows at a time.
  bool tiled = false;
};

// The buffer holding the embeddings after the heads.
inline EncoderBuffer EmbeddingBuffer(const EncoderConfig& config) {
  return config.pooler ? kPoolerBuffer : kPooledBuffer;
}

// Calls visit(step) for every step, in order.
template <class Visit>
void WalkSchedule(const EncoderConfig& config, const EncoderWeights& weights,
                  const ScheduleOptions& options, Visit&& visit) {
  const bool pre_norm = config.norm_position == LayerNormPosition::kPre;
  {
    Step embed = {StepOp::kEmbed, kHiddenBuffer};
    embed.width = config.embedding_width;
    embed.matrix = &weights.input_projection;
    embed.bias = weights.input_projection_bias;
    visit(embed);
  }
  if (config.embedding_norm) {
    Step norm = {StepOp::kLayerNorm, kHiddenBuffer, kHiddenBuffer};
    norm.width = config.embedding_width;
    norm.gamma = weights.embedding_norm_gamma;
    norm.beta = weights.embedding_norm_beta;
    visit(norm);
  }
  for (uint32_t i = 0; i < config.layer_count; ++i) {
    const LayerConfig& shape = config.layers[i];
    const LayerWeights& layer = weights.layers[i];
    // A widening layer's rows change width in the hidden states, which a
    // tile cannot update in place while later tiles still read the old rows.
    const bool tiled = options.tiled && layer.residual.data == nullptr;
    uint8_t tile_loop = 0;
    auto layer_step = [i, &tile_loop](StepOp op, EncoderBuffer out, EncoderBuffer in,
                                      uint32_t width) {
      Step step = {op, out, in};
      step.tile_loop = tile_loop;
      step.width = width;
      step.layer = i;
      return step;
    };
    auto dense = [&](EncoderBuffer in, const WeightMatrix& matrix, const float* bias,
                     EncoderBuffer out) {
      Step step = layer_step(StepOp::kDense, out, in, static_cast<uint32_t>(matrix.rows));
      step.matrix = &matrix;
      step.bias = bias;
      visit(step);
    };
    auto norm = [&](EncoderBuffer in, EncoderBuffer out, uint32_t width, const float* gamma,
                    const float* beta, EncoderBuffer residual = kNoBuffer) {
      Step step = layer_step(StepOp::kLayerNorm, out, in, width);
      step.in2 = residual;
      step.gamma = gamma;
      step.beta = beta;
      visit(step);
    };
    EncoderBuffer attention_input = kHiddenBuffer;
    auto normalize_input = [&] {
      if (!pre_norm) return;
      attention_input = kAttentionInput;
      norm(kHiddenBuffer, kAttentionInput, shape.input_width, layer.norm1_gamma,
           layer.norm1_beta);
    };

    if (tiled) tile_loop = static_cast<uint8_t>(2 * i + 1);
    normalize_input();
    visit(layer_step(StepOp::kKeyValue, kKeyValueBuffer, attention_input, shape.attention_width));
    if (tiled) {
      tile_loop = static_cast<uint8_t>(2 * i + 2);
      // The first loop's normalized rows were its last tile's only.
      normalize_input();
    }
    dense(attention_input, layer.q, layer.q_bias, kQueryBuffer);
    Step attend = layer_step(StepOp::kAttention, kContextBuffer, kQueryBuffer,
                             shape.attention_width);
    attend.in2 = kKeyValueBuffer;
    visit(attend);
    dense(kContextBuffer, layer.out, layer.out_bias, kProjectedBuffer);
    EncoderBuffer residual = kHiddenBuffer;
    if (layer.residual.data != nullptr) {
      residual = kResidualBuffer;
      dense(kHiddenBuffer, layer.residual, layer.residual_bias, kResidualBuffer);
    }
    // Post-norm layers add the residual in their norm's pass over the rows.
    if (!pre_norm) {
      norm(kProjectedBuffer, kHiddenBuffer, shape.width, layer.norm1_gamma, layer.norm1_beta,
           residual);
    } else if (residual == kHiddenBuffer) {
      visit(layer_step(StepOp::kAccumulate, kHiddenBuffer, kProjectedBuffer, shape.width));
    } else {
      Step sum = layer_step(StepOp::kSum, kHiddenBuffer, residual, shape.width);
      sum.in2 = kProjectedBuffer;
      visit(sum);
    }

    EncoderBuffer ffn_input = kHiddenBuffer;
    if (pre_norm) {
      ffn_input = kFfnInput;
      norm(kHiddenBuffer, kFfnInput, shape.width, layer.norm2_gamma, layer.norm2_beta);
    }
    dense(ffn_input, layer.up, layer.up_bias, kFfnBuffer);
    visit(layer_step(StepOp::kActivate, kFfnBuffer, kNoBuffer, shape.ffn_width));
    dense(kFfnBuffer, layer.down, layer.down_bias, kFfnOutputBuffer);
    if (pre_norm) {
      visit(layer_step(StepOp::kAccumulate, kHiddenBuffer, kFfnOutputBuffer, shape.width));
    } else {
      norm(kFfnOutputBuffer, kHiddenBuffer, shape.width, layer.norm2_gamma, layer.norm2_beta,
           kHiddenBuffer);
    }
  }

  const uint32_t hidden = config.hidden_width();
  if (config.output_norm) {
    Step norm = {StepOp::kLayerNorm, kHiddenBuffer, kHiddenBuffer};
    norm.width = hidden;
    norm.gamma = weights.output_norm_gamma;
    norm.beta = weights.output_norm_beta;
    visit(norm);
  }
  // A token classifier reads every row of the hidden states, pooled or not.
  const bool token_classifier =
      config.label_count != 0 && config.classifier_input == ClassifierInput::kTokens;
  if (token_classifier) {
    Step classify = {StepOp::kDense, kLogitsBuffer, kHiddenBuffer};
    classify.width = config.label_count;
    classify.matrix = &weights.classifier;
    classify.bias = weights.classifier_bias;
    visit(classify);
  }
  if (!options.heads) return;
  auto head = [&](StepOp op, EncoderBuffer out, EncoderBuffer in, uint32_t width) {
    Step step = {op, out, in};
    step.rows = StepRows::kSequences;
    step.width = width;
    return step;
  };
  visit(head(StepOp::kPool, kPooledBuffer, kHiddenBuffer, hidden));
  if (config.pooler) {
    Step pooler = head(StepOp::kDense, kPoolerBuffer, kPooledBuffer, hidden);
    pooler.matrix = &weights.pooler;
    pooler.bias = weights.pooler_bias;
    visit(pooler);
    visit(head(StepOp::kTanh, kPoolerBuffer, kNoBuffer, hidden));
  }
  const EncoderBuffer embedding = EmbeddingBuffer(config);
  if (config.label_count != 0 && !token_classifier) {
    Step classify = head(StepOp::kDense, kLogitsBuffer, embedding, config.label_count);
    classify.matrix = &weights.classifier;
    classify.bias = weights.classifier_bias;
    visit(classify);
  }
  if (options.normalize) visit(head(StepOp::kNormalize, embedding, kNoBuffer, hidden));
}

}  // namespace tinyenc

#endif  // TINYENC_MODELS_ENCODER_SCHEDULE_H_
