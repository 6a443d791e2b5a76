// Hyper-parameters of an encoder from its GGUF keys (docs/FORMAT.md): the
// sizes under the architecture's prefix (`bert.` as llama.cpp names them, or
// `tinyenc.` for the generic encoder) plus tinyenc's variant keys.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "models/encoder_weights.h"

namespace tinyenc {
namespace {

// Each enum's names, indexed by its value: the file's spelling, parsed here
// and printed by the *Name functions.
constexpr const char* kLayerNormPositionNames[] = {"post", "pre"};
constexpr const char* kActivationNames[] = {"gelu_erf", "gelu_tanh", "relu"};
constexpr const char* kPositionTypeNames[] = {"learned", "sinusoidal"};
constexpr const char* kInputTypeNames[] = {"tokens", "features"};
constexpr const char* kPoolingNames[] = {"none", "mean", "cls"};
constexpr const char* kClassifierInputNames[] = {"pooled", "tokens"};

template <typename Enum, size_t kCount>
const char* NameOf(const char* const (&names)[kCount], Enum value) {
  const size_t index = static_cast<size_t>(value);
  return index < kCount ? names[index] : "?";
}

// "<architecture>.<suffix>", as llama.cpp names architecture keys.
class KeyName {
 public:
  KeyName(const char* architecture, const char* suffix) {
    std::snprintf(name_, sizeof(name_), "%s.%s", architecture, suffix);
  }
  const char* c_str() const { return name_; }

 private:
  char name_[96];
};

Status GetPositiveU32(const GgufFile& file, const char* key, uint32_t* out) {
  Status status = file.GetU32(key, out);
  if (status.ok() && *out == 0) {
    return Status::Error(StatusCode::kBadHyperParameter, "key '%s' is 0", key);
  }
  return status;
}

// Leaves *out unchanged when the key is absent.
template <typename T, typename Getter>
Status GetOptional(const GgufFile& file, const char* key, Getter getter, T* out) {
  GgufValue value;
  if (!file.FindKey(key, &value)) return Status::Ok();
  return (file.*getter)(key, out);
}

// Maps a string key to one of `names` (index = enum value); absent keeps *out.
template <typename Enum, size_t kCount>
Status GetChoice(const GgufFile& file, const char* key, const char* const (&names)[kCount],
                 Enum* out) {
  GgufValue value;
  if (!file.FindKey(key, &value)) return Status::Ok();
  GgufString text;
  Status status = file.GetString(key, &text);
  if (!status.ok()) return status;
  for (size_t i = 0; i < kCount; ++i) {
    if (text.Equals(names[i])) {
      *out = static_cast<Enum>(i);
      return Status::Ok();
    }
  }
  return Status::Error(StatusCode::kBadHyperParameter, "key '%s': unknown value '%.*s'", key,
                       static_cast<int>(text.size < 40 ? text.size : 40), text.data);
}

// Fills field `member` of every layer from a u32 array key, when present.
Status GetLayerArray(const GgufFile& file, const char* key, EncoderConfig* config,
                     uint32_t LayerConfig::*member) {
  GgufValue value;
  if (!file.FindKey(key, &value)) return Status::Ok();
  GgufArray array;
  Status status = file.GetArray(key, &array);
  if (!status.ok()) return status;
  const bool u32 = array.type == GgufValueType::kU32, i32 = array.type == GgufValueType::kI32;
  if (!u32 && !i32) {
    return Status::Error(StatusCode::kKeyType, "key '%s' must be an array of u32, not of %s", key,
                         GgufValueTypeName(array.type));
  }
  if (array.count != config->layer_count) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "key '%s' has %llu values for %" PRIu32 " layers", key,
                         static_cast<unsigned long long>(array.count), config->layer_count);
  }
  for (uint32_t i = 0; i < config->layer_count; ++i) {
    int32_t element;
    std::memcpy(&element, array.data + 4 * i, 4);
    if (element <= 0) {  // u32 values above 2^31 read as negative
      return Status::Error(StatusCode::kBadHyperParameter, "key '%s'[%" PRIu32 "] is %" PRId32, key,
                           i, element);
    }
    config->layers[i].*member = static_cast<uint32_t>(element);
  }
  return Status::Ok();
}

Status ReadArchitecture(const GgufFile& file, EncoderConfig* config) {
  GgufString architecture;
  Status status = file.GetString("general.architecture", &architecture);
  if (!status.ok()) return status;
  if (!architecture.Equals("bert") && !architecture.Equals("tinyenc")) {
    return Status::Error(StatusCode::kUnsupportedArchitecture,
                         "general.architecture '%.*s' is not one tinyenc runs (bert, tinyenc)",
                         static_cast<int>(architecture.size < 40 ? architecture.size : 40),
                         architecture.data);
  }
  std::memcpy(config->architecture, architecture.data, architecture.size);
  config->architecture[architecture.size] = '\0';
  return Status::Ok();
}

Status ReadSizes(const GgufFile& file, EncoderConfig* config) {
  const char* arch = config->architecture;
  uint32_t ffn_width = 0, heads = 0;
  Status status = GetPositiveU32(file, KeyName(arch, "block_count").c_str(), &config->layer_count);
  if (status.ok() && config->layer_count > kMaxLayers) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "key '%s.block_count' is %" PRIu32 "; tinyenc runs at most %u layers",
                         arch, config->layer_count, static_cast<unsigned>(kMaxLayers));
  }
  if (status.ok()) {
    status = GetPositiveU32(file, KeyName(arch, "embedding_length").c_str(),
                            &config->embedding_width);
  }
  if (status.ok()) {
    status = GetPositiveU32(file, KeyName(arch, "context_length").c_str(),
                            &config->context_length);
  }
  if (status.ok()) {
    status = GetPositiveU32(file, KeyName(arch, "feed_forward_length").c_str(), &ffn_width);
  }
  if (status.ok()) {
    status = GetPositiveU32(file, KeyName(arch, "attention.head_count").c_str(), &heads);
  }
  if (status.ok()) {
    const KeyName key(arch, "attention.layer_norm_epsilon");
    status = file.GetF32(key.c_str(), &config->layer_norm_eps);
    if (status.ok() && !(config->layer_norm_eps > 0.0f && config->layer_norm_eps < 1.0f)) {
      return Status::Error(StatusCode::kBadHyperParameter, "key '%s' is %g", key.c_str(),
                           static_cast<double>(config->layer_norm_eps));
    }
  }
  if (!status.ok()) return status;
  bool causal = false;
  const KeyName causal_key(arch, "attention.causal");
  status = GetOptional(file, causal_key.c_str(), &GgufFile::GetBool, &causal);
  if (status.ok() && causal) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "key '%s' is true; tinyenc runs bidirectional encoders",
                         causal_key.c_str());
  }
  for (uint32_t i = 0; i < config->layer_count; ++i) {
    config->layers[i].width = config->embedding_width;
    config->layers[i].heads = heads;
    config->layers[i].ffn_width = ffn_width;
  }
  if (status.ok()) {
    status = GetLayerArray(file, "tinyenc.layer_embedding_length", config, &LayerConfig::width);
  }
  if (status.ok()) {
    status = GetLayerArray(file, "tinyenc.layer_head_count", config, &LayerConfig::heads);
  }
  for (uint32_t i = 0; i < config->layer_count; ++i) {
    config->layers[i].attention_width = config->layers[i].width;
  }
  if (status.ok()) {
    status = GetLayerArray(file, "tinyenc.layer_attention_length", config,
                           &LayerConfig::attention_width);
  }
  if (status.ok()) {
    status = GetLayerArray(file, "tinyenc.layer_feed_forward_length", config,
                           &LayerConfig::ffn_width);
  }
  if (!status.ok()) return status;
  uint32_t input_width = config->embedding_width;
  for (uint32_t i = 0; i < config->layer_count; ++i) {
    LayerConfig& layer = config->layers[i];
    layer.input_width = input_width;
    input_width = layer.width;
    if (layer.attention_width % layer.heads != 0) {
      return Status::Error(StatusCode::kBadHyperParameter,
                           "layer %" PRIu32 ": attention width %" PRIu32
                           " is not a multiple of its %" PRIu32 " heads",
                           i, layer.attention_width, layer.heads);
    }
  }
  return Status::Ok();
}

Status ReadVariants(const GgufFile& file, EncoderConfig* config) {
  Status status = GetChoice(file, "tinyenc.layer_norm_position", kLayerNormPositionNames,
                            &config->norm_position);
  if (status.ok()) {
    status = GetChoice(file, "tinyenc.activation", kActivationNames, &config->activation);
  }
  if (status.ok()) {
    status = GetChoice(file, "tinyenc.position_type", kPositionTypeNames, &config->positions);
  }
  if (status.ok()) status = GetChoice(file, "tinyenc.input_type", kInputTypeNames, &config->input);
  if (status.ok()) {
    status = GetChoice(file, "tinyenc.classifier_input", kClassifierInputNames,
                       &config->classifier_input);
  }
  if (status.ok()) {
    status = GetOptional(file, "tinyenc.normalize", &GgufFile::GetBool, &config->normalize);
  }
  if (status.ok()) {
    status = GetOptional(file, "tinyenc.tokenizer.uncased", &GgufFile::GetBool, &config->uncased);
  }
  if (!status.ok()) return status;
  if (config->positions == PositionType::kSinusoidal && config->embedding_width % 2 != 0) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "sinusoidal positions need an even embedding width, not %" PRIu32,
                         config->embedding_width);
  }
  if (config->input == InputType::kFeatures) {
    status = GetPositiveU32(file, "tinyenc.feature_length", &config->feature_length);
    if (!status.ok()) return status;
  }
  uint32_t pooling = 0;
  const KeyName pooling_key(config->architecture, "pooling_type");
  status = GetOptional(file, pooling_key.c_str(), &GgufFile::GetU32, &pooling);
  if (status.ok() && pooling > static_cast<uint32_t>(Pooling::kCls)) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "key '%s' is %" PRIu32 "; tinyenc pools none (0), mean (1) or cls (2)",
                         pooling_key.c_str(), pooling);
  }
  config->pooling = static_cast<Pooling>(pooling);
  return status;
}

}  // namespace

const char* LayerNormPositionName(LayerNormPosition position) {
  return NameOf(kLayerNormPositionNames, position);
}
const char* ActivationName(Activation activation) { return NameOf(kActivationNames, activation); }
const char* PositionTypeName(PositionType positions) {
  return NameOf(kPositionTypeNames, positions);
}
const char* InputTypeName(InputType input) { return NameOf(kInputTypeNames, input); }
const char* PoolingName(Pooling pooling) { return NameOf(kPoolingNames, pooling); }
const char* ClassifierInputName(ClassifierInput input) {
  return NameOf(kClassifierInputNames, input);
}

bool ParsePooling(const char* name, Pooling* pooling) {
  for (size_t i = 0; i < sizeof(kPoolingNames) / sizeof(kPoolingNames[0]); ++i) {
    if (std::strcmp(name, kPoolingNames[i]) == 0) {
      *pooling = static_cast<Pooling>(i);
      return true;
    }
  }
  return false;
}

Status ReadEncoderConfig(const GgufFile& file, EncoderConfig* config) {
  *config = EncoderConfig();
  Status status = ReadArchitecture(file, config);
  if (status.ok()) status = ReadSizes(file, config);
  if (status.ok()) status = ReadVariants(file, config);
  return status;
}

}  // namespace tinyenc
