// A loaded encoder: the weight file's hyper-parameters, checked, and its
// tensors bound in place. Load() reads a GGUF file (docs/FORMAT.md) from a
// byte span the caller keeps alive and unchanged for the Model's lifetime
// (flash, an mmapped file or a buffer); nothing is copied and nothing is
// allocated. A Model is read-only after Load, so any number of Sessions
// (one per thread) may share it.
#ifndef TINYENC_MODEL_H_
#define TINYENC_MODEL_H_

#include <cstddef>
#include <cstdint>

#include "tinyenc/status.h"

namespace tinyenc {

// Layers a model may have. Fixed so that a Model has a fixed size and lives
// in static memory without a heap.
constexpr size_t kMaxLayers = 24;

enum class LayerNormPosition : uint8_t { kPost, kPre };
enum class Activation : uint8_t { kGeluErf, kGeluTanh, kRelu };
enum class PositionType : uint8_t { kLearned, kSinusoidal };
enum class InputType : uint8_t { kTokens, kFeatures };
// Values are bert.pooling_type's.
enum class Pooling : uint8_t { kNone = 0, kMean = 1, kCls = 2 };

const char* PoolingName(Pooling pooling);
const char* ActivationName(Activation activation);

struct LayerConfig {
  uint32_t input_width = 0;  // the previous layer's width (embedding width for layer 0)
  uint32_t width = 0;        // this layer's output width
  uint32_t attention_width = 0;  // width of Q, K, V and the attention output (default: width)
  uint32_t heads = 0;            // they divide attention_width
  uint32_t ffn_width = 0;
};

// Hyper-parameters, as read from the file; see docs/FORMAT.md for each key.
struct EncoderConfig {
  char architecture[32] = {};
  uint32_t layer_count = 0;
  uint32_t embedding_width = 0;  // width of the embeddings (layer 0's input)
  uint32_t context_length = 0;   // most tokens (rows, class token included) per sequence
  uint32_t vocab_size = 0;       // token models
  uint32_t token_type_count = 0; // 0 when the model has no token-type embeddings
  uint32_t feature_length = 0;   // features models: values per input frame
  uint32_t label_count = 0;      // 0 without a classifier head
  float layer_norm_eps = 1e-12f;
  InputType input = InputType::kTokens;
  PositionType positions = PositionType::kLearned;
  LayerNormPosition norm_position = LayerNormPosition::kPost;
  Activation activation = Activation::kGeluErf;
  Pooling pooling = Pooling::kNone;
  bool normalize = false;
  bool class_token = false;
  bool embedding_norm = false;
  bool output_norm = false;
  bool pooler = false;
  // Tokenizer facts (token models).
  bool uncased = true;
  int32_t cls_id = -1;
  int32_t sep_id = -1;
  int32_t unknown_id = -1;
  int32_t padding_id = -1;
  int32_t mask_id = -1;
  LayerConfig layers[kMaxLayers];

  uint32_t hidden_width() const { return layers[layer_count - 1].width; }
};

// Bytes a Model occupies; fixed so C code can hold one (tinyenc.h).
constexpr size_t kModelBytes = 16384;

class Model {
 public:
  Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // Parses and checks the file and binds every tensor the architecture
  // needs, with the shapes its hyper-parameters imply. On failure the Model
  // stays empty and the status names the key or tensor at fault.
  Status Load(const void* bytes, size_t size);

  bool loaded() const;
  const EncoderConfig& config() const;

 private:
  friend struct ModelAccess;
  alignas(8) unsigned char state_[kModelBytes];
};

}  // namespace tinyenc

#endif  // TINYENC_MODEL_H_
