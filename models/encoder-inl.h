// Per-target forward pass of the encoder: every kernel it calls is the
// current target's, so the target is chosen once per Encode.

#if defined(TINYENC_MODELS_ENCODER_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_MODELS_ENCODER_INL_H_
#undef TINYENC_MODELS_ENCODER_INL_H_
#else
#define TINYENC_MODELS_ENCODER_INL_H_
#endif

#include <cmath>
#include <cstring>

#include "hwy/highway.h"
#include "models/encoder.h"
#include "simd/activations-inl.h"
#include "simd/attention-inl.h"
#include "simd/elementwise-inl.h"
#include "simd/layernorm-inl.h"
#include "simd/matmul-inl.h"
#include "simd/quantize.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {

// The plan's buffers inside one arena.
struct EncoderBuffers {
  EncoderBuffers(const EncoderPlan& plan, uint8_t* arena) : plan_(plan), arena_(arena) {}
  float* operator[](EncoderBuffer id) const {
    return reinterpret_cast<float*>(arena_ + plan_.offset[id]);
  }
  SequenceRows* rows() const {
    return reinterpret_cast<SequenceRows*>(arena_ + plan_.offset[kRowTableBuffer]);
  }

 private:
  const EncoderPlan& plan_;
  uint8_t* arena_;
};

inline const void* MatrixRow(const WeightMatrix& w, size_t row) {
  return static_cast<const uint8_t*>(w.data) + row * RowBytes(w.type, w.cols);
}

// out += row `index` of `table`, dequantized through `temp`.
inline void AddTableRow(const WeightMatrix& table, size_t index, float* temp, float* out) {
  DequantizeRow(table.type, MatrixRow(table, index), table.cols, temp);
  MulAddRow(1.0f, temp, out, table.cols);
}

// The tensor2tensor timing signal: sines in the first half of the row,
// cosines in the second, wavelengths 2pi to 2pi * 10^4 in geometric steps.
inline void AddSinusoidalPosition(size_t position, float* row, size_t width) {
  const size_t half = width / 2;
  const double step = std::log(10000.0) / static_cast<double>(half > 1 ? half - 1 : 1);
  for (size_t i = 0; i < half; ++i) {
    const double angle = static_cast<double>(position) * std::exp(-step * static_cast<double>(i));
    row[i] += static_cast<float>(std::sin(angle));
    row[half + i] += static_cast<float>(std::cos(angle));
  }
}

inline void Embed(const EncoderConfig& config, const EncoderWeights& weights,
                  const EncoderBuffers& buffers, const EncodeRequest& request, size_t total_rows) {
  const size_t width = config.embedding_width;
  float* hidden = buffers[kHiddenBuffer];
  float* scratch = buffers[kScratchBuffer];
  const SequenceRows* sequences = buffers.rows();
  for (size_t b = 0; b < request.batch; ++b) {
    const SequenceInput& input = request.inputs[b];
    float* first = hidden + sequences[b].offset * width;
    if (config.input == InputType::kTokens) {
      for (size_t t = 0; t < input.length; ++t) {
        float* row = first + t * width;
        const WeightMatrix& tokens = weights.token_embedding;
        DequantizeRow(tokens.type, MatrixRow(tokens, input.token_ids[t]), width, row);
        if (weights.token_types.data != nullptr) {
          const int32_t type = input.type_ids == nullptr ? 0 : input.type_ids[t];
          AddTableRow(weights.token_types, type, scratch, row);
        }
      }
    } else {
      const size_t skip = config.class_token ? 1 : 0;
      MatMul(input.features, input.length, weights.input_projection,
             weights.input_projection_bias, first + skip * width, scratch);
      if (config.class_token) std::memcpy(first, weights.class_token, width * sizeof(float));
    }
    for (size_t p = 0; p < sequences[b].rows; ++p) {
      if (config.positions == PositionType::kLearned) {
        AddTableRow(weights.positions, p, scratch, first + p * width);
      } else {
        AddSinusoidalPosition(p, first + p * width, width);
      }
    }
  }
  if (config.embedding_norm) {
    LayerNorm(hidden, hidden, total_rows, width, weights.embedding_norm_gamma,
              weights.embedding_norm_beta, config.layer_norm_eps);
  }
}

inline void Activate(Activation activation, float* values, size_t count) {
  switch (activation) {
    case Activation::kGeluErf:
      GeluErf(values, count);
      break;
    case Activation::kGeluTanh:
      GeluTanh(values, count);
      break;
    case Activation::kRelu:
      Relu(values, count);
      break;
  }
}

inline void RunLayer(const EncoderConfig& config, const LayerConfig& shape,
                     const LayerWeights& weights, const EncoderBuffers& buffers,
                     size_t batch, size_t rows) {
  const bool pre_norm = config.norm_position == LayerNormPosition::kPre;
  const float eps = config.layer_norm_eps;
  const size_t width = shape.width, attention_width = shape.attention_width;
  float* hidden = buffers[kHiddenBuffer];
  float* scratch = buffers[kScratchBuffer];

  const float* attention_input = hidden;
  if (pre_norm) {
    LayerNorm(hidden, buffers[kAttentionInput], rows, shape.input_width, weights.norm1_gamma,
              weights.norm1_beta, eps);
    attention_input = buffers[kAttentionInput];
  }
  float* q = buffers[kQkvBuffer];
  float* k = q + rows * attention_width;
  float* v = k + rows * attention_width;
  MatMul(attention_input, rows, weights.q, weights.q_bias, q, scratch);
  MatMul(attention_input, rows, weights.k, weights.k_bias, k, scratch);
  MatMul(attention_input, rows, weights.v, weights.v_bias, v, scratch);

  float* context = buffers[kContextBuffer];
  AttentionShape attention;
  attention.heads = shape.heads;
  attention.head_dim = attention_width / shape.heads;
  attention.q_stride = attention.k_stride = attention.v_stride = attention.out_stride =
      attention_width;
  const float scale = 1.0f / std::sqrt(static_cast<float>(attention.head_dim));
  const SequenceRows* sequences = buffers.rows();
  for (size_t b = 0; b < batch; ++b) {
    const size_t first = sequences[b].offset * attention_width;
    attention.seq = sequences[b].rows;
    Attention(q + first, k + first, v + first, attention, scale, nullptr, context + first,
              scratch);
  }
  float* projected = buffers[kProjectedBuffer];
  MatMul(context, rows, weights.out, weights.out_bias, projected, scratch);

  const float* residual = hidden;
  if (weights.residual.data != nullptr) {
    MatMul(hidden, rows, weights.residual, weights.residual_bias, buffers[kResidualBuffer],
           scratch);
    residual = buffers[kResidualBuffer];
  }
  if (!pre_norm) {
    MulAddRow(1.0f, residual, projected, rows * width);
    LayerNorm(projected, hidden, rows, width, weights.norm1_gamma, weights.norm1_beta, eps);
  } else if (residual == hidden) {
    MulAddRow(1.0f, projected, hidden, rows * width);
  } else {
    Add(residual, projected, hidden, rows * width);
  }

  const float* ffn_input = hidden;
  if (pre_norm) {
    LayerNorm(hidden, buffers[kFfnInput], rows, width, weights.norm2_gamma, weights.norm2_beta,
              eps);
    ffn_input = buffers[kFfnInput];
  }
  float* ffn = buffers[kFfnBuffer];
  MatMul(ffn_input, rows, weights.up, weights.up_bias, ffn, scratch);
  Activate(config.activation, ffn, rows * shape.ffn_width);
  float* ffn_output = buffers[kFfnOutputBuffer];
  MatMul(ffn, rows, weights.down, weights.down_bias, ffn_output, scratch);
  if (pre_norm) {
    MulAddRow(1.0f, ffn_output, hidden, rows * width);
  } else {
    MulAddRow(1.0f, hidden, ffn_output, rows * width);
    LayerNorm(ffn_output, hidden, rows, width, weights.norm2_gamma, weights.norm2_beta, eps);
  }
}

inline void RunHeads(const EncoderConfig& config, const EncoderWeights& weights,
                     const EncoderBuffers& buffers, const EncodeRequest& request) {
  const size_t width = config.hidden_width(), batch = request.batch;
  const float* hidden = buffers[kHiddenBuffer];
  float* scratch = buffers[kScratchBuffer];
  float* pooled = buffers[kPooledBuffer];
  const SequenceRows* sequences = buffers.rows();
  for (size_t b = 0; b < batch; ++b) {
    const float* first = hidden + sequences[b].offset * width;
    if (request.pooling == Pooling::kMean) {
      MeanPool(first, sequences[b].rows, width, nullptr, pooled + b * width);
    } else {
      std::memcpy(pooled + b * width, first, width * sizeof(float));
    }
  }
  float* embedding = pooled;
  if (config.pooler) {
    embedding = buffers[kPoolerBuffer];
    MatMul(pooled, batch, weights.pooler, weights.pooler_bias, embedding, scratch);
    for (size_t i = 0; i < batch * width; ++i) embedding[i] = std::tanh(embedding[i]);
  }
  if (config.label_count != 0) {
    MatMul(embedding, batch, weights.classifier, weights.classifier_bias,
           buffers[kLogitsBuffer], scratch);
  }
  if (request.normalize) {
    for (size_t b = 0; b < batch; ++b) L2Normalize(embedding + b * width, width);
  }
}

// The row table is filled and the inputs checked by the caller.
inline void RunEncoder(const EncoderConfig& config, const EncoderWeights& weights,
                       const EncoderPlan& plan, uint8_t* arena, const EncodeRequest& request) {
  const EncoderBuffers buffers(plan, arena);
  const SequenceRows& last = buffers.rows()[request.batch - 1];
  const size_t rows = last.offset + last.rows;
  Embed(config, weights, buffers, request, rows);
  for (uint32_t i = 0; i < config.layer_count; ++i) {
    RunLayer(config, config.layers[i], weights.layers[i], buffers, request.batch, rows);
  }
  if (config.output_norm) {
    const float* gamma = weights.output_norm_gamma;
    LayerNorm(buffers[kHiddenBuffer], buffers[kHiddenBuffer], rows, config.hidden_width(), gamma,
              weights.output_norm_beta, config.layer_norm_eps);
  }
  if (request.pooling != Pooling::kNone) RunHeads(config, weights, buffers, request);
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // include guard toggle
