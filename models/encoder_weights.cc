// Binds an encoder's tensors by llama.cpp's names (and tinyenc's own for the
// variants), checking each against the shape the hyper-parameters imply.
#include "models/encoder_weights.h"

#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "models/encoder.h"
#include "models/special_tokens.h"

namespace tinyenc {
namespace {

class TensorName {
 public:
  TensorName(const char* format, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
  {
    va_list args;
    va_start(args, format);
    std::vsnprintf(name_, sizeof(name_), format, args);
    va_end(args);
  }
  const char* c_str() const { return name_; }

 private:
  char name_[kGgufMaxTensorName + 1];
};

enum class Need { kRequired, kOptional };

// Finds `name` and checks it is [cols x rows] (ne = [cols, rows]) and aligned
// for its element type. *found tells whether an optional tensor exists.
Status FindShaped(const GgufFile& file, const char* name, uint64_t cols, uint64_t rows, Need need,
                  GgufTensor* tensor, bool* found) {
  *found = file.FindTensor(name, tensor);
  if (!*found) {
    if (need == Need::kOptional) return Status::Ok();
    return Status::Error(StatusCode::kMissingTensor, "tensor '%s' is missing", name);
  }
  if (tensor->ne[0] != cols || tensor->ne[1] != rows || tensor->ne[2] != 1 || tensor->ne[3] != 1) {
    return Status::Error(StatusCode::kTensorShape,
                         "tensor '%s' is [%llu, %llu, %llu, %llu], expected [%llu, %llu]", name,
                         static_cast<unsigned long long>(tensor->ne[0]),
                         static_cast<unsigned long long>(tensor->ne[1]),
                         static_cast<unsigned long long>(tensor->ne[2]),
                         static_cast<unsigned long long>(tensor->ne[3]),
                         static_cast<unsigned long long>(cols),
                         static_cast<unsigned long long>(rows));
  }
  // Float and half values are read through typed pointers.
  if (reinterpret_cast<uintptr_t>(tensor->data) % 4 != 0) {
    return Status::Error(StatusCode::kBadTensorOffset,
                         "tensor '%s': data is not 4-byte aligned (general.alignment %" PRIu32 ")",
                         name, file.alignment());
  }
  return Status::Ok();
}

// An F32 tensor of [cols x rows]: vectors (norms, biases, the class token)
// must be F32, as llama.cpp keeps them, and so are the audio front end's.
Status BindF32(const GgufFile& file, const char* name, uint64_t cols, uint64_t rows, Need need,
               const float** out) {
  GgufTensor tensor;
  bool found = false;
  Status status = FindShaped(file, name, cols, rows, need, &tensor, &found);
  if (!status.ok() || !found) return status;
  if (tensor.type != WeightType::kF32) {
    return Status::Error(StatusCode::kTensorShape, "tensor '%s' is %s; it must be F32", name,
                         WeightTypeName(tensor.type));
  }
  *out = reinterpret_cast<const float*>(tensor.data);
  return Status::Ok();
}

Status BindVector(const GgufFile& file, const char* name, uint64_t length, Need need,
                  const float** out) {
  return BindF32(file, name, length, 1, need, out);
}

// The F32 scales of an I8 matrix: tensor "<prefix>.scale" for "<prefix>.weight",
// one finite value per row; and its optional row sums "<prefix>.sum".
Status BindRowScales(const GgufFile& file, const char* name, uint64_t rows, uint64_t cols,
                     const void* codes, WeightMatrix* out) {
  const size_t length = std::strlen(name);
  const char kSuffix[] = ".weight";
  if (length < sizeof(kSuffix) - 1 || std::strcmp(name + length - (sizeof(kSuffix) - 1), kSuffix)) {
    return Status::Error(StatusCode::kTensorShape, "tensor '%s' is I8 but not a .weight", name);
  }
  const int prefix_length = static_cast<int>(length - (sizeof(kSuffix) - 1));
  const TensorName scale_name("%.*s.scale", prefix_length, name);
  GgufTensor tensor;
  bool found = false;
  Status status = FindShaped(file, scale_name.c_str(), rows, 1, Need::kOptional, &tensor, &found);
  if (!status.ok()) return status;
  if (!found || tensor.type != WeightType::kF32) {
    return Status::Error(StatusCode::kMissingTensor,
                         "tensor '%s' is I8: it needs its row scales '%s' (F32, %llu values)",
                         name, scale_name.c_str(), static_cast<unsigned long long>(rows));
  }
  const auto* scales = reinterpret_cast<const float*>(tensor.data);
  for (uint64_t r = 0; r < rows; ++r) {
    if (!std::isfinite(scales[r])) {
      return Status::Error(StatusCode::kTensorShape, "tensor '%s': scale %llu is not finite",
                           scale_name.c_str(), static_cast<unsigned long long>(r));
    }
  }
  out->row_scales = scales;
  // The sums spare the AVX3_DL kernels a pass over W per call; each must be
  // its row's, as the products subtract it.
  const TensorName sum_name("%.*s.sum", prefix_length, name);
  const float* sums = nullptr;
  status = BindVector(file, sum_name.c_str(), rows, Need::kOptional, &sums);
  if (!status.ok() || sums == nullptr) return status;
  for (uint64_t r = 0; r < rows; ++r) {
    const auto* row = static_cast<const int8_t*>(codes) + r * cols;
    int64_t sum = 0;
    for (uint64_t i = 0; i < cols; ++i) sum += row[i];
    if (static_cast<double>(sums[r]) != static_cast<double>(sum)) {
      return Status::Error(StatusCode::kTensorShape,
                           "tensor '%s': sum %llu is %g, not its row's %lld", sum_name.c_str(),
                           static_cast<unsigned long long>(r), static_cast<double>(sums[r]),
                           static_cast<long long>(sum));
    }
  }
  out->row_sums = sums;
  return Status::Ok();
}

enum class Use { kMatMul, kTable };

// A matrix for MatMul (any type), or a table whose rows are read one at a
// time (not row-scaled: a row must decode on its own).
Status BindMatrix(const GgufFile& file, const char* name, uint64_t cols, uint64_t rows, Need need,
                  WeightMatrix* out, Use use = Use::kMatMul) {
  GgufTensor tensor;
  bool found = false;
  Status status = FindShaped(file, name, cols, rows, need, &tensor, &found);
  if (!status.ok() || !found) return status;
  const bool row_scaled = FindWeightType(static_cast<uint32_t>(tensor.type))->row_scaled;
  if (row_scaled && use == Use::kTable) {
    return Status::Error(StatusCode::kTensorShape, "tensor '%s' is %s; tables cannot be", name,
                         WeightTypeName(tensor.type));
  }
  if (row_scaled) status = BindRowScales(file, name, rows, cols, tensor.data, out);
  if (!status.ok()) return status;
  out->data = tensor.data;
  out->type = tensor.type;
  out->rows = static_cast<size_t>(rows);
  out->cols = static_cast<size_t>(cols);
  return status;
}

// A LayerNorm's weight and bias: both or neither (when optional).
Status BindNorm(const GgufFile& file, const char* prefix, uint64_t width, Need need,
                const float** gamma, const float** beta) {
  Status status = BindVector(file, TensorName("%s.weight", prefix).c_str(), width, need, gamma);
  if (status.ok() && *gamma != nullptr) {
    status = BindVector(file, TensorName("%s.bias", prefix).c_str(), width, Need::kRequired, beta);
  }
  return status;
}

// A dense layer: weight [cols x rows] and an optional bias of `rows`.
Status BindDense(const GgufFile& file, const char* prefix, uint64_t cols, uint64_t rows,
                 Need need, WeightMatrix* weight, const float** bias) {
  Status status =
      BindMatrix(file, TensorName("%s.weight", prefix).c_str(), cols, rows, need, weight);
  if (status.ok() && weight->data != nullptr) {
    status = BindVector(file, TensorName("%s.bias", prefix).c_str(), rows, Need::kOptional, bias);
  }
  return status;
}

Status BindLayer(const GgufFile& file, const EncoderConfig& config, uint32_t index,
                 LayerWeights* layer) {
  const LayerConfig& shape = config.layers[index];
  const uint64_t in = shape.input_width, width = shape.width, ffn = shape.ffn_width;
  const uint64_t attention = shape.attention_width;
  const uint64_t norm1_width = config.norm_position == LayerNormPosition::kPre ? in : width;
  Status status = BindDense(file, TensorName("blk.%" PRIu32 ".attn_q", index).c_str(), in,
                            attention, Need::kRequired, &layer->q, &layer->q_bias);
  if (status.ok()) {
    status = BindDense(file, TensorName("blk.%" PRIu32 ".attn_k", index).c_str(), in, attention,
                       Need::kRequired, &layer->k, &layer->k_bias);
  }
  if (status.ok()) {
    status = BindDense(file, TensorName("blk.%" PRIu32 ".attn_v", index).c_str(), in, attention,
                       Need::kRequired, &layer->v, &layer->v_bias);
  }
  if (status.ok()) {
    status = BindDense(file, TensorName("blk.%" PRIu32 ".attn_output", index).c_str(), attention,
                       width, Need::kRequired, &layer->out, &layer->out_bias);
  }
  if (status.ok()) {
    status = BindNorm(file, TensorName("blk.%" PRIu32 ".attn_output_norm", index).c_str(),
                      norm1_width, Need::kRequired, &layer->norm1_gamma, &layer->norm1_beta);
  }
  if (status.ok()) {
    status = BindDense(file, TensorName("blk.%" PRIu32 ".ffn_up", index).c_str(), width, ffn,
                       Need::kRequired, &layer->up, &layer->up_bias);
  }
  if (status.ok()) {
    status = BindDense(file, TensorName("blk.%" PRIu32 ".ffn_down", index).c_str(), ffn, width,
                       Need::kRequired, &layer->down, &layer->down_bias);
  }
  if (status.ok()) {
    status = BindNorm(file, TensorName("blk.%" PRIu32 ".layer_output_norm", index).c_str(), width,
                      Need::kRequired, &layer->norm2_gamma, &layer->norm2_beta);
  }
  // The feed-forward inputs, the attention output's, Q's and V's tolerate
  // 8-bit codes; K's do not (simd/matmul.h has the measurements).
  layer->up.narrow_activations = layer->down.narrow_activations = true;
  layer->out.narrow_activations = layer->q.narrow_activations = true;
  layer->v.narrow_activations = true;
  if (status.ok() && in != width) {
    status = BindDense(file, TensorName("tinyenc.blk.%" PRIu32 ".residual_proj", index).c_str(), in,
                       width, Need::kRequired, &layer->residual, &layer->residual_bias);
  }
  return status;
}

Status BindTokenInputs(const GgufFile& file, EncoderConfig* config, EncoderWeights* weights) {
  GgufTensor tensor;
  if (!file.FindTensor("token_embd.weight", &tensor)) {
    return Status::Error(StatusCode::kMissingTensor, "tensor 'token_embd.weight' is missing");
  }
  if (tensor.ne[1] > INT32_MAX) {
    return Status::Error(StatusCode::kTensorShape, "tensor 'token_embd.weight' has %llu rows",
                         static_cast<unsigned long long>(tensor.ne[1]));
  }
  config->vocab_size = static_cast<uint32_t>(tensor.ne[1]);
  Status status = BindMatrix(file, "token_embd.weight", config->embedding_width,
                             config->vocab_size, Need::kRequired, &weights->token_embedding,
                             Use::kTable);
  if (!status.ok()) return status;
  GgufArray tokens;
  if (file.GetArray("tokenizer.ggml.tokens", &tokens).ok() && tokens.count != config->vocab_size) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "tokenizer.ggml.tokens holds %llu tokens, token_embd.weight %" PRIu32
                         " rows",
                         static_cast<unsigned long long>(tokens.count), config->vocab_size);
  }
  SpecialTokens special;
  status = ReadSpecialTokens(file, config->vocab_size, &special);
  if (!status.ok()) return status;
  config->cls_id = special.cls;
  config->sep_id = special.sep;
  config->unknown_id = special.unknown;
  config->padding_id = special.padding;
  config->mask_id = special.mask;
  if (file.FindTensor("token_types.weight", &tensor)) {
    if (tensor.ne[1] > 0xffff) {
      return Status::Error(StatusCode::kTensorShape, "tensor 'token_types.weight' has %llu rows",
                           static_cast<unsigned long long>(tensor.ne[1]));
    }
    config->token_type_count = static_cast<uint32_t>(tensor.ne[1]);
    status = BindMatrix(file, "token_types.weight", config->embedding_width,
                        config->token_type_count, Need::kRequired, &weights->token_types,
                        Use::kTable);
  }
  if (!status.ok()) return status;
  // Optional, but when present it must be a u32 that agrees with the table:
  // a mistyped or negative value is an error, not an absent key.
  uint32_t declared_types = 0;
  status = file.GetU32("tokenizer.ggml.token_type_count", &declared_types);
  if (status.code() == StatusCode::kMissingKey) return Status::Ok();
  if (!status.ok()) return status;
  if (declared_types != config->token_type_count) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "tokenizer.ggml.token_type_count is %" PRIu32
                         ", token_types.weight has %" PRIu32 " rows",
                         declared_types, config->token_type_count);
  }
  return Status::Ok();
}

Status BindFeatureInputs(const GgufFile& file, EncoderConfig* config, EncoderWeights* weights) {
  Status status = BindDense(file, "tinyenc.input_proj", config->feature_length,
                            config->embedding_width, Need::kRequired,
                            &weights->input_projection, &weights->input_projection_bias);
  if (status.ok()) {
    status = BindVector(file, "tinyenc.class_token", config->embedding_width, Need::kOptional,
                        &weights->class_token);
    config->class_token = weights->class_token != nullptr;
  }
  return status;
}

Status BindHeads(const GgufFile& file, EncoderConfig* config, EncoderWeights* weights) {
  const uint64_t hidden = config->hidden_width();
  Status status = BindNorm(file, "output_norm", hidden, Need::kOptional,
                           &weights->output_norm_gamma, &weights->output_norm_beta);
  config->output_norm = weights->output_norm_gamma != nullptr;
  if (status.ok()) {
    status = BindDense(file, "tinyenc.pooler", hidden, hidden, Need::kOptional, &weights->pooler,
                       &weights->pooler_bias);
    config->pooler = weights->pooler.data != nullptr;
  }
  GgufTensor tensor;
  if (status.ok() && file.FindTensor("tinyenc.classifier.weight", &tensor)) {
    if (tensor.ne[1] > 0xffff) {
      return Status::Error(StatusCode::kTensorShape,
                           "tensor 'tinyenc.classifier.weight' has %llu labels",
                           static_cast<unsigned long long>(tensor.ne[1]));
    }
    config->label_count = static_cast<uint32_t>(tensor.ne[1]);
    status = BindDense(file, "tinyenc.classifier", hidden, tensor.ne[1], Need::kRequired,
                       &weights->classifier, &weights->classifier_bias);
  }
  return status;
}

}  // namespace

Status BindF32Tensor(const GgufFile& file, const char* name, uint64_t cols, uint64_t rows,
                     const float** out) {
  return BindF32(file, name, cols, rows, Need::kRequired, out);
}

Status BindEncoderWeights(const GgufFile& file, EncoderConfig* config, EncoderWeights* weights) {
  *weights = EncoderWeights();
  const uint64_t width = config->embedding_width;
  Status status = config->input == InputType::kTokens
                      ? BindTokenInputs(file, config, weights)
                      : BindFeatureInputs(file, config, weights);
  if (status.ok() && config->positions == PositionType::kLearned) {
    GgufTensor tensor;
    const bool found = file.FindTensor("position_embd.weight", &tensor);
    // llama.cpp sets context_length to the table's rows; more rows are unused.
    const uint64_t rows = found && tensor.ne[1] > config->context_length ? tensor.ne[1]
                                                                         : config->context_length;
    status = BindMatrix(file, "position_embd.weight", width, rows, Need::kRequired,
                        &weights->positions, Use::kTable);
  }
  if (status.ok()) {
    status = BindNorm(file, "token_embd_norm", width, Need::kOptional,
                      &weights->embedding_norm_gamma, &weights->embedding_norm_beta);
    config->embedding_norm = weights->embedding_norm_gamma != nullptr;
  }
  for (uint32_t i = 0; status.ok() && i < config->layer_count; ++i) {
    status = BindLayer(file, *config, i, &weights->layers[i]);
  }
  if (status.ok()) status = BindHeads(file, config, weights);
  return status;
}

Status LoadEncoder(const GgufFile& file, EncoderModel* model) {
  *model = EncoderModel();
  Status status = ReadEncoderConfig(file, &model->config);
  if (status.ok()) status = BindEncoderWeights(file, &model->config, &model->weights);
  if (status.ok()) status = LoadAudioModel(file, model->config, &model->audio);
  return status;
}

}  // namespace tinyenc
