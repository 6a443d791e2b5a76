// The value types the model layer defines and the public API shows: an
// encoder's hyper-parameters, the option enums, one sequence's input, the
// tokenizer kinds. Plain data only, so the model layer and the API above it
// share them without either including the other's headers.
#ifndef TINYENC_MODEL_TYPES_H_
#define TINYENC_MODEL_TYPES_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {

// Layers a model may have. Fixed so that a Model has a fixed size and lives
// in static memory without a heap.
constexpr size_t kMaxLayers = 24;

enum class LayerNormPosition : uint8_t { kPost, kPre };
enum class Activation : uint8_t { kGeluErf, kGeluTanh, kRelu };
enum class PositionType : uint8_t { kLearned, kSinusoidal };
enum class InputType : uint8_t { kTokens, kFeatures };
// What the classifier reads: the pooled embedding (sequence classification,
// one row of logits per sequence) or every token's hidden state (token
// classification, one row per token).
enum class ClassifierInput : uint8_t { kPooled, kTokens };
// Values are bert.pooling_type's.
enum class Pooling : uint8_t { kNone = 0, kMean = 1, kCls = 2 };

// Each enum's names, as the weight file spells them (docs/FORMAT.md) and the
// CLI prints and parses them; "?" for a value outside the enum.
const char* LayerNormPositionName(LayerNormPosition position);
const char* ActivationName(Activation activation);
const char* PositionTypeName(PositionType positions);
const char* InputTypeName(InputType input);
const char* ClassifierInputName(ClassifierInput input);
const char* PoolingName(Pooling pooling);
// The enum value named `name`; false when no value has that name.
bool ParsePooling(const char* name, Pooling* pooling);

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
  ClassifierInput classifier_input = ClassifierInput::kPooled;
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

  uint32_t hidden_width() const { return layer_count == 0 ? 0 : layers[layer_count - 1].width; }
};

// A keyword model's audio input (docs/FORMAT.md, audio keys); all zero for
// models without an audio front end.
struct AudioConfig {
  uint32_t sample_rate = 0;    // samples per second the model expects
  uint32_t clip_samples = 0;   // samples of one window (KWT: one second)
  uint32_t window_stride = 0;  // a stream's window advances by multiples of this
  uint32_t frame_count = 0;    // feature frames per window
  uint32_t label_count = 0;    // one name per classifier output
};

// One sequence to encode. Token models read `token_ids` (and `type_ids`,
// null meaning all 0); features models read `features`, `length` frames of
// feature_length values each (a class token, if the model has one, is added
// as row 0, so the sequence then has length + 1 rows).
struct SequenceInput {
  const int32_t* token_ids = nullptr;
  const int32_t* type_ids = nullptr;
  const float* features = nullptr;
  size_t length = 0;
};

enum class TokenizerType : uint8_t {
  kWordPiece,  // tokenizer.ggml.model = "bert"
  kUnigram,    // tokenizer.ggml.model = "use_unigram"
};
// Alignment a tokenizer needs for its memory, and encoding for its scratch.
constexpr size_t kTokenizerAlign = 8;

}  // namespace tinyenc

#endif  // TINYENC_MODEL_TYPES_H_
