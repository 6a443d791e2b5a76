// Model::Load on files that parse as GGUF but do not describe a model
// tinyenc can run: each missing or wrong key and tensor has its status and a
// message naming it. Files are built in memory from one valid small BERT,
// changed in exactly one place.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/runtime/core/gguf_builder.h"
#include "tinyenc/model.h"

namespace tinyenc {
namespace test {
namespace {

constexpr int64_t kWidth = 64, kFfn = 128, kVocab = 40, kContext = 16, kTypes = 2;

struct TensorSpec {
  std::string name;
  std::vector<int64_t> ne;
  WeightType type;
  std::vector<uint8_t> data;  // empty: zeros
};

// A valid two-layer BERT; `keys` and `tensors` may be edited before Build.
struct BertFile {
  std::map<std::string, std::function<void(GgufBuilder&, const std::string&)>> keys;
  std::vector<TensorSpec> tensors;

  BertFile() {
    SetString("general.architecture", "bert");
    SetU32("bert.block_count", 2);
    SetU32("bert.embedding_length", kWidth);
    SetU32("bert.context_length", kContext);
    SetU32("bert.feed_forward_length", kFfn);
    SetU32("bert.attention.head_count", 4);
    SetF32("bert.attention.layer_norm_epsilon", 1e-12f);
    keys["bert.attention.causal"] = [](GgufBuilder& b, const std::string& k) { b.AddBool(k, false); };
    SetU32("tokenizer.ggml.token_type_count", kTypes);
    SetU32("bert.pooling_type", 1);
    keys["tokenizer.ggml.tokens"] = [](GgufBuilder& b, const std::string& k) {
      std::vector<std::string> tokens;
      for (int i = 0; i < kVocab; ++i) tokens.push_back("t" + std::to_string(i));
      b.AddStringArray(k, tokens);
    };
    Matrix("token_embd.weight", kWidth, kVocab);
    Matrix("token_types.weight", kWidth, kTypes);
    Matrix("position_embd.weight", kWidth, kContext);
    Vector("token_embd_norm.weight", kWidth);
    Vector("token_embd_norm.bias", kWidth);
    for (int layer = 0; layer < 2; ++layer) {
      const std::string blk = "blk." + std::to_string(layer) + ".";
      for (const char* name : {"attn_q", "attn_k", "attn_v", "attn_output"}) {
        Matrix(blk + name + ".weight", kWidth, kWidth, WeightType::kQ8_0);
        Vector(blk + name + ".bias", kWidth);
      }
      Matrix(blk + "ffn_up.weight", kWidth, kFfn, WeightType::kQ4_0);
      Vector(blk + "ffn_up.bias", kFfn);
      Matrix(blk + "ffn_down.weight", kFfn, kWidth, WeightType::kF16);
      Vector(blk + "ffn_down.bias", kWidth);
      for (const char* name : {"attn_output_norm", "layer_output_norm"}) {
        Vector(blk + name + ".weight", kWidth);
        Vector(blk + name + ".bias", kWidth);
      }
    }
  }

  void SetU32(const std::string& key, uint32_t value) {
    keys[key] = [value](GgufBuilder& b, const std::string& k) { b.AddU32(k, value); };
  }
  void SetF32(const std::string& key, float value) {
    keys[key] = [value](GgufBuilder& b, const std::string& k) { b.AddF32(k, value); };
  }
  void SetString(const std::string& key, const std::string& value) {
    keys[key] = [value](GgufBuilder& b, const std::string& k) { b.AddString(k, value); };
  }
  void Matrix(const std::string& name, int64_t cols, int64_t rows,
              WeightType type = WeightType::kF32) {
    tensors.push_back({name, {cols, rows}, type});
  }
  void Vector(const std::string& name, int64_t length) {
    tensors.push_back({name, {length}, WeightType::kF32});
  }
  TensorSpec& Tensor(const std::string& name) {
    for (TensorSpec& tensor : tensors) {
      if (tensor.name == name) return tensor;
    }
    FAIL("no tensor ", name);
    return tensors.front();
  }
  void Remove(const std::string& name) {
    std::vector<TensorSpec> kept;
    for (const TensorSpec& tensor : tensors) {
      if (tensor.name != name) kept.push_back(tensor);
    }
    tensors = kept;
  }

  std::vector<uint8_t> Build() const {
    GgufBuilder builder;
    for (const auto& [key, add] : keys) add(builder, key);
    for (const TensorSpec& tensor : tensors) {
      // Zero bytes are valid values of every type.
      const size_t bytes = GgufBuilder::TensorBytes(tensor.ne, tensor.type);
      builder.AddTensor(tensor.name, tensor.ne, tensor.type,
                        tensor.data.empty() ? std::vector<uint8_t>(bytes, 0) : tensor.data);
    }
    return builder.Build();
  }
};

// Loads `file`; expects `code` and a message containing `named`.
void ExpectLoad(const BertFile& file, StatusCode code, const std::string& named) {
  const std::vector<uint8_t> bytes = file.Build();
  Model model;
  const Status status = model.Load(bytes.data(), bytes.size());
  const std::string message = status.message();
  CHECK_MESSAGE(status.code() == code, StatusCodeName(status.code()), ": ", message);
  CHECK_MESSAGE(message.find(named) != std::string::npos, message);
  CHECK(model.loaded() == status.ok());
}

TEST_CASE("a valid small BERT with mixed tensor types loads") {
  const BertFile file;
  const std::vector<uint8_t> bytes = file.Build();
  Model model;
  const Status status = model.Load(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(status.ok(), status.message());
  const EncoderConfig& config = model.config();
  CHECK(config.layer_count == 2);
  CHECK(config.vocab_size == kVocab);
  CHECK(config.token_type_count == kTypes);
  CHECK(config.pooling == Pooling::kMean);
  CHECK(config.embedding_norm);
  CHECK(config.layers[1].heads == 4);
  // Tensors in any order.
  BertFile shuffled;
  std::reverse(shuffled.tensors.begin(), shuffled.tensors.end());
  ExpectLoad(shuffled, StatusCode::kOk, "");
}

TEST_CASE("keys: missing, mistyped, out of range") {
  BertFile file;
  file.keys.erase("bert.embedding_length");
  ExpectLoad(file, StatusCode::kMissingKey, "bert.embedding_length");

  file = BertFile();
  file.SetString("bert.block_count", "2");
  ExpectLoad(file, StatusCode::kKeyType, "bert.block_count");

  file = BertFile();
  file.SetString("general.architecture", "gpt2");
  ExpectLoad(file, StatusCode::kUnsupportedArchitecture, "gpt2");

  file = BertFile();
  file.keys.erase("general.architecture");
  ExpectLoad(file, StatusCode::kMissingKey, "general.architecture");

  for (uint32_t layers : {0u, static_cast<uint32_t>(kMaxLayers) + 1}) {
    file = BertFile();
    file.SetU32("bert.block_count", layers);
    ExpectLoad(file, StatusCode::kBadHyperParameter, "bert.block_count");
  }
  file = BertFile();
  file.SetU32("bert.attention.head_count", 3);
  ExpectLoad(file, StatusCode::kBadHyperParameter, "3 heads");

  file = BertFile();
  file.SetF32("bert.attention.layer_norm_epsilon", 0.0f);
  ExpectLoad(file, StatusCode::kBadHyperParameter, "layer_norm_epsilon");

  file = BertFile();
  file.keys["bert.attention.causal"] = [](GgufBuilder& b, const std::string& k) {
    b.AddBool(k, true);
  };
  ExpectLoad(file, StatusCode::kBadHyperParameter, "bert.attention.causal");

  file = BertFile();
  file.SetU32("bert.pooling_type", 4);
  ExpectLoad(file, StatusCode::kBadHyperParameter, "bert.pooling_type");

  file = BertFile();
  file.SetString("tinyenc.activation", "swish");
  ExpectLoad(file, StatusCode::kBadHyperParameter, "swish");

  file = BertFile();
  file.keys["tinyenc.layer_head_count"] = [](GgufBuilder& b, const std::string& k) {
    b.AddArray<uint32_t>(k, {4, 4, 4});
  };
  ExpectLoad(file, StatusCode::kBadHyperParameter, "tinyenc.layer_head_count");

  file = BertFile();
  file.keys["tinyenc.layer_head_count"] = [](GgufBuilder& b, const std::string& k) {
    b.AddArray<float>(k, {4.0f, 4.0f});
  };
  ExpectLoad(file, StatusCode::kKeyType, "tinyenc.layer_head_count");

  file = BertFile();
  file.SetU32("tokenizer.ggml.token_type_count", 3);
  ExpectLoad(file, StatusCode::kBadHyperParameter, "token_type_count");

  file = BertFile();
  file.keys["tokenizer.ggml.tokens"] = [](GgufBuilder& b, const std::string& k) {
    b.AddStringArray(k, {"a", "b"});
  };
  ExpectLoad(file, StatusCode::kBadHyperParameter, "tokenizer.ggml.tokens");
}

TEST_CASE("the generic 'tinyenc' architecture: the same keys under tinyenc.") {
  BertFile file;
  file.SetString("general.architecture", "tinyenc");
  BertFile renamed;
  renamed.keys.clear();
  for (const auto& key : file.keys) {
    const std::string name = key.first.rfind("bert.", 0) == 0
                                 ? "tinyenc." + key.first.substr(5) : key.first;
    renamed.keys[name] = key.second;
  }
  const std::vector<uint8_t> bytes = renamed.Build();
  Model model;
  const Status status = model.Load(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(std::string(model.config().architecture) == "tinyenc");
  CHECK(model.config().layer_count == 2);
  renamed.keys.erase("tinyenc.block_count");
  ExpectLoad(renamed, StatusCode::kMissingKey, "tinyenc.block_count");
}

TEST_CASE("per-layer attention widths: Q, K, V [in, A], attn_output [A, W]") {
  constexpr int64_t kAttention = kWidth / 2;
  BertFile file;
  file.keys["tinyenc.layer_attention_length"] = [](GgufBuilder& b, const std::string& k) {
    b.AddArray<uint32_t>(k, {kAttention, kWidth});
  };
  for (const char* name : {"attn_q", "attn_k", "attn_v"}) {
    file.Tensor(std::string("blk.0.") + name + ".weight").ne = {kWidth, kAttention};
    file.Tensor(std::string("blk.0.") + name + ".bias").ne = {kAttention};
  }
  file.Tensor("blk.0.attn_output.weight").ne = {kAttention, kWidth};
  const std::vector<uint8_t> bytes = file.Build();
  Model model;
  const Status status = model.Load(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(model.config().layers[0].attention_width == kAttention);
  CHECK(model.config().layers[1].attention_width == kWidth);

  BertFile wrong = file;
  wrong.Tensor("blk.0.attn_output.weight").ne = {kWidth, kWidth};
  ExpectLoad(wrong, StatusCode::kTensorShape, "blk.0.attn_output.weight");
  wrong = file;
  wrong.keys["tinyenc.layer_attention_length"] = [](GgufBuilder& b, const std::string& k) {
    b.AddArray<uint32_t>(k, {30, kWidth});
  };
  ExpectLoad(wrong, StatusCode::kBadHyperParameter, "attention width 30");
}

TEST_CASE("tensors: missing, wrongly shaped or typed") {
  for (const char* name : {"token_embd.weight", "position_embd.weight", "blk.1.attn_k.weight",
                           "blk.0.ffn_down.weight", "blk.1.layer_output_norm.weight"}) {
    BertFile file;
    file.Remove(name);
    ExpectLoad(file, StatusCode::kMissingTensor, name);
  }
  BertFile file;
  file.Remove("blk.0.attn_output_norm.bias");  // a norm needs both halves
  ExpectLoad(file, StatusCode::kMissingTensor, "blk.0.attn_output_norm.bias");

  file = BertFile();
  file.Tensor("blk.1.attn_q.weight").ne = {kWidth, kWidth + 32};
  ExpectLoad(file, StatusCode::kTensorShape, "blk.1.attn_q.weight");

  file = BertFile();
  file.Tensor("blk.0.ffn_up.weight").ne = {kWidth, kFfn, 2};
  ExpectLoad(file, StatusCode::kTensorShape, "blk.0.ffn_up.weight");

  file = BertFile();
  file.Tensor("blk.0.ffn_up.bias").ne = {kFfn / 2};
  ExpectLoad(file, StatusCode::kTensorShape, "blk.0.ffn_up.bias");

  file = BertFile();
  file.Tensor("position_embd.weight").ne = {kWidth, kContext - 1};
  ExpectLoad(file, StatusCode::kTensorShape, "position_embd.weight");

  file = BertFile();
  file.Tensor("token_embd_norm.weight").type = WeightType::kF16;
  ExpectLoad(file, StatusCode::kTensorShape, "token_embd_norm.weight");

  // A layer that widens needs its residual projection.
  file = BertFile();
  file.keys["tinyenc.layer_embedding_length"] = [](GgufBuilder& b, const std::string& k) {
    b.AddArray<uint32_t>(k, {kWidth, 2 * kWidth});
  };
  for (const char* name : {"attn_q", "attn_k", "attn_v"}) {
    file.Tensor(std::string("blk.1.") + name + ".weight").ne = {kWidth, 2 * kWidth};
    file.Tensor(std::string("blk.1.") + name + ".bias").ne = {2 * kWidth};
  }
  file.Tensor("blk.1.attn_output.weight").ne = {2 * kWidth, 2 * kWidth};
  file.Tensor("blk.1.attn_output.bias").ne = {2 * kWidth};
  file.Tensor("blk.1.ffn_up.weight").ne = {2 * kWidth, kFfn};
  file.Tensor("blk.1.ffn_down.weight").ne = {kFfn, 2 * kWidth};
  file.Tensor("blk.1.ffn_down.bias").ne = {2 * kWidth};
  for (const char* name : {"attn_output_norm", "layer_output_norm"}) {
    file.Tensor(std::string("blk.1.") + name + ".weight").ne = {2 * kWidth};
    file.Tensor(std::string("blk.1.") + name + ".bias").ne = {2 * kWidth};
  }
  ExpectLoad(file, StatusCode::kMissingTensor, "tinyenc.blk.1.residual_proj.weight");
  file.Matrix("tinyenc.blk.1.residual_proj.weight", kWidth, 2 * kWidth);
  ExpectLoad(file, StatusCode::kOk, "");
}

TEST_CASE("I8 matrices: each needs finite F32 row scales beside it") {
  // blk.1.ffn_up as I8 [kWidth x kFfn] with its scales.
  const auto i8_file = [] {
    BertFile file;
    file.Tensor("blk.1.ffn_up.weight").type = WeightType::kI8;
    file.Vector("blk.1.ffn_up.scale", kFfn);
    return file;
  };
  {
    const BertFile file = i8_file();
    const std::vector<uint8_t> bytes = file.Build();
    Model model;
    const Status status = model.Load(bytes.data(), bytes.size());
    CHECK_MESSAGE(status.ok(), status.message());
  }
  BertFile file = i8_file();
  file.Remove("blk.1.ffn_up.scale");
  ExpectLoad(file, StatusCode::kMissingTensor, "'blk.1.ffn_up.scale'");
  file = i8_file();
  file.Tensor("blk.1.ffn_up.scale").ne = {kFfn - 1};
  ExpectLoad(file, StatusCode::kTensorShape, "blk.1.ffn_up.scale");
  file = i8_file();
  file.Tensor("blk.1.ffn_up.scale").ne = {kFfn, 2};
  ExpectLoad(file, StatusCode::kTensorShape, "blk.1.ffn_up.scale");
  file = i8_file();
  file.Tensor("blk.1.ffn_up.scale").type = WeightType::kF16;
  ExpectLoad(file, StatusCode::kMissingTensor, "F32");
  for (const float bad : {NAN, INFINITY, -INFINITY}) {
    file = i8_file();
    std::vector<float> scales(kFfn, 0.5f);
    scales[kFfn - 1] = bad;
    auto& data = file.Tensor("blk.1.ffn_up.scale").data;
    data.resize(scales.size() * sizeof(float));
    std::memcpy(data.data(), scales.data(), data.size());
    ExpectLoad(file, StatusCode::kTensorShape, "scale 127 is not finite");
  }
  // A table is read a row at a time: it cannot be row-scaled.
  file = BertFile();
  file.Tensor("token_embd.weight").type = WeightType::kI8;
  file.Vector("token_embd.scale", kVocab);
  ExpectLoad(file, StatusCode::kTensorShape, "'token_embd.weight' is I8; tables cannot be");
}

TEST_CASE("I8 matrices: optional row sums, F32, each its row's exact sum") {
  // blk.1.ffn_up as I8 [kWidth x kFfn], row r's codes all r % 5 - 2.
  const auto with_sums = [](const std::vector<float>& sums) {
    BertFile file;
    TensorSpec& weight = file.Tensor("blk.1.ffn_up.weight");
    weight.type = WeightType::kI8;
    for (int64_t r = 0; r < kFfn; ++r) {
      weight.data.insert(weight.data.end(), kWidth, static_cast<uint8_t>(r % 5 - 2));
    }
    file.Vector("blk.1.ffn_up.scale", kFfn);
    file.Vector("blk.1.ffn_up.sum", static_cast<int64_t>(sums.size()));
    auto& data = file.Tensor("blk.1.ffn_up.sum").data;
    data.resize(sums.size() * sizeof(float));
    std::memcpy(data.data(), sums.data(), data.size());
    return file;
  };
  std::vector<float> sums(kFfn);
  for (int64_t r = 0; r < kFfn; ++r) sums[r] = static_cast<float>((r % 5 - 2) * kWidth);
  {
    const std::vector<uint8_t> bytes = with_sums(sums).Build();
    Model model;
    const Status status = model.Load(bytes.data(), bytes.size());
    CHECK_MESSAGE(status.ok(), status.message());
  }
  std::vector<float> wrong = sums;
  wrong[kFfn - 1] += 1.0f;
  ExpectLoad(with_sums(wrong), StatusCode::kTensorShape,
             "'blk.1.ffn_up.sum': sum 127 is 1, not its row's 0");
  wrong = sums;
  wrong[3] += 0.5f;  // not an integer
  ExpectLoad(with_sums(wrong), StatusCode::kTensorShape, "'blk.1.ffn_up.sum': sum 3 is");
  wrong.assign(sums.begin(), sums.end() - 1);
  ExpectLoad(with_sums(wrong), StatusCode::kTensorShape, "blk.1.ffn_up.sum");
  BertFile file = with_sums(sums);
  file.Tensor("blk.1.ffn_up.sum").type = WeightType::kF16;
  ExpectLoad(file, StatusCode::kTensorShape, "'blk.1.ffn_up.sum' is F16; it must be F32");
}

TEST_CASE("model bytes: null, misaligned, not GGUF") {
  const std::vector<uint8_t> bytes = BertFile().Build();
  std::vector<uint8_t> shifted(bytes.size() + 1);
  std::copy(bytes.begin(), bytes.end(), shifted.begin() + 1);
  Model model;
  CHECK(model.Load(nullptr, 10).code() == StatusCode::kInvalidArgument);
  CHECK(model.Load(shifted.data() + 1, bytes.size()).code() == StatusCode::kInvalidArgument);
  std::vector<uint8_t> not_gguf(bytes);
  not_gguf[0] = 'X';
  CHECK(model.Load(not_gguf.data(), not_gguf.size()).code() == StatusCode::kBadMagic);
  CHECK(!model.loaded());
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
