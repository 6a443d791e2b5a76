// Hyper-parameters of an encoder from its GGUF keys (docs/FORMAT.md): the
// sizes under the architecture's prefix (`bert.` as llama.cpp names them, or
// `tinyenc.` for the generic encoder) plus tinyenc's variant keys.
#include <cmath>
#include <cstdio>
#include <cstring>

#include "models/encoder_weights.h"

namespace tinyenc {
namespace {

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
                         "key '%s' has %llu values for %u layers", key,
                         static_cast<unsigned long long>(array.count), config->layer_count);
  }
  for (uint32_t i = 0; i < config->layer_count; ++i) {
    int32_t element;
    std::memcpy(&element, array.data + 4 * i, 4);
    if (element <= 0) {  // u32 values above 2^31 read as negative
      return Status::Error(StatusCode::kBadHyperParameter, "key '%s'[%u] is %d", key, i,
                           element);
    }
    config->layers[i].*member = static_cast<uint32_t>(element);
  }
  return Status::Ok();
}

Status ReadSpecialId(const GgufFile& file, const char* key, int32_t default_id,
                     int32_t* out) {
  GgufValue value;
  if (!file.FindKey(key, &value)) {
    *out = default_id;
    return Status::Ok();
  }
  uint32_t id = 0;
  Status status = file.GetU32(key, &id);
  if (status.ok() && id > 0x7fffffffu) {
    return Status::Error(StatusCode::kBadHyperParameter, "key '%s' is %u", key, id);
  }
  *out = static_cast<int32_t>(id);
  return status;
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
                         "key '%s.block_count' is %u; tinyenc runs at most %u layers", arch,
                         config->layer_count, static_cast<unsigned>(kMaxLayers));
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
                           "layer %u: attention width %u is not a multiple of its %u heads", i,
                           layer.attention_width, layer.heads);
    }
  }
  return Status::Ok();
}

Status ReadVariants(const GgufFile& file, EncoderConfig* config) {
  static const char* const kNormPositions[] = {"post", "pre"};
  static const char* const kActivations[] = {"gelu_erf", "gelu_tanh", "relu"};
  static const char* const kPositions[] = {"learned", "sinusoidal"};
  static const char* const kInputs[] = {"tokens", "features"};
  Status status = GetChoice(file, "tinyenc.layer_norm_position", kNormPositions,
                            &config->norm_position);
  if (status.ok()) status = GetChoice(file, "tinyenc.activation", kActivations, &config->activation);
  if (status.ok()) status = GetChoice(file, "tinyenc.position_type", kPositions, &config->positions);
  if (status.ok()) status = GetChoice(file, "tinyenc.input_type", kInputs, &config->input);
  if (status.ok()) {
    status = GetOptional(file, "tinyenc.normalize", &GgufFile::GetBool, &config->normalize);
  }
  if (status.ok()) {
    status = GetOptional(file, "tinyenc.tokenizer.uncased", &GgufFile::GetBool, &config->uncased);
  }
  if (!status.ok()) return status;
  if (config->positions == PositionType::kSinusoidal && config->embedding_width % 2 != 0) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "sinusoidal positions need an even embedding width, not %u",
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
                         "key '%s' is %u; tinyenc pools none (0), mean (1) or cls (2)",
                         pooling_key.c_str(), pooling);
  }
  config->pooling = static_cast<Pooling>(pooling);
  return status;
}

// llama.cpp's defaults for absent ids of a `bert` file are BERT's (GGUF.md);
// other architectures have no defaults (-1: unset).
Status ReadSpecialIds(const GgufFile& file, EncoderConfig* config) {
  const bool bert = std::strcmp(config->architecture, "bert") == 0;
  Status status =
      ReadSpecialId(file, "tokenizer.ggml.bos_token_id", bert ? 101 : -1, &config->cls_id);
  if (status.ok()) {
    status = ReadSpecialId(file, "tokenizer.ggml.seperator_token_id", bert ? 102 : -1,
                           &config->sep_id);
  }
  if (status.ok()) {
    status = ReadSpecialId(file, "tokenizer.ggml.unknown_token_id", bert ? 100 : -1,
                           &config->unknown_id);
  }
  if (status.ok()) {
    status = ReadSpecialId(file, "tokenizer.ggml.padding_token_id", bert ? 0 : -1,
                           &config->padding_id);
  }
  if (status.ok()) {
    status = ReadSpecialId(file, "tokenizer.ggml.mask_token_id", bert ? 103 : -1,
                           &config->mask_id);
  }
  return status;
}

}  // namespace

const char* PoolingName(Pooling pooling) {
  switch (pooling) {
    case Pooling::kNone:
      return "none";
    case Pooling::kMean:
      return "mean";
    case Pooling::kCls:
      return "cls";
  }
  return "?";
}

const char* ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kGeluErf:
      return "gelu_erf";
    case Activation::kGeluTanh:
      return "gelu_tanh";
    case Activation::kRelu:
      return "relu";
  }
  return "?";
}

Status ReadEncoderConfig(const GgufFile& file, EncoderConfig* config) {
  *config = EncoderConfig();
  Status status = ReadArchitecture(file, config);
  if (status.ok()) status = ReadSizes(file, config);
  if (status.ok()) status = ReadVariants(file, config);
  if (status.ok() && config->input == InputType::kTokens) status = ReadSpecialIds(file, config);
  return status;
}

}  // namespace tinyenc
