// The tensors of an encoder, bound in place inside the weight file.
#ifndef TINYENC_MODELS_ENCODER_WEIGHTS_H_
#define TINYENC_MODELS_ENCODER_WEIGHTS_H_

#include "runtime/core/gguf.h"
#include "simd/matmul.h"
#include "tinyenc/model_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

// A matrix with data == nullptr is absent; so is a null vector.
struct LayerWeights {
  WeightMatrix q, k, v, out, up, down;
  WeightMatrix residual;  // widening layers: input width -> width
  const float* q_bias = nullptr;
  const float* k_bias = nullptr;
  const float* v_bias = nullptr;
  const float* out_bias = nullptr;
  const float* up_bias = nullptr;
  const float* down_bias = nullptr;
  const float* residual_bias = nullptr;
  // attn_output_norm and layer_output_norm: after the attention and FFN
  // residuals (post-LN) or before them (pre-LN).
  const float* norm1_gamma = nullptr;
  const float* norm1_beta = nullptr;
  const float* norm2_gamma = nullptr;
  const float* norm2_beta = nullptr;
};

struct EncoderWeights {
  WeightMatrix token_embedding;     // vocab rows of embedding_width
  WeightMatrix token_types;         // type rows, or absent
  WeightMatrix positions;           // learned positions: >= context_length rows
  WeightMatrix input_projection;    // features models: feature_length -> embedding_width
  const float* input_projection_bias = nullptr;
  const float* class_token = nullptr;
  const float* embedding_norm_gamma = nullptr;
  const float* embedding_norm_beta = nullptr;
  const float* output_norm_gamma = nullptr;
  const float* output_norm_beta = nullptr;
  WeightMatrix pooler;
  const float* pooler_bias = nullptr;
  WeightMatrix classifier;
  const float* classifier_bias = nullptr;
  LayerWeights layers[kMaxLayers];
};

// Binds the F32 tensor `name` of ne [cols, rows], checking its shape, type
// and alignment; kMissingTensor when absent.
Status BindF32Tensor(const GgufFile& file, const char* name, uint64_t cols, uint64_t rows,
                     const float** out);

// Reads the hyper-parameters (docs/FORMAT.md).
Status ReadEncoderConfig(const GgufFile& file, EncoderConfig* config);

// Binds every tensor `config` implies, checking names, shapes, types and
// alignment, and completes the config's tensor-derived fields (vocab size,
// token types, norms, heads). Optional tensors absent from the file stay
// absent.
Status BindEncoderWeights(const GgufFile& file, EncoderConfig* config, EncoderWeights* weights);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_ENCODER_WEIGHTS_H_
