// In-memory GGUF v3 writer for tests: well-formed files laid out as llama.cpp
// requires, plus hooks for writing them wrong on purpose (raw values, header
// counts, tensor types, dimensions and offsets) and the byte layout of what
// was written, for tests that patch or cut a file.
//
//   GgufBuilder b;
//   b.AddString("general.architecture", "bert");
//   b.AddU32("bert.block_count", 2);
//   b.AddStringArray("tokenizer.ggml.tokens", {"[PAD]", "[UNK]"});
//   b.AddTensor("token_embd.weight", {64, 2}, WeightType::kQ8_0, bytes);
//   std::vector<uint8_t> file = b.Build();
#ifndef TINYENC_TESTS_RUNTIME_GGUF_BUILDER_H_
#define TINYENC_TESTS_RUNTIME_GGUF_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/core/gguf.h"
#include "runtime/core/weight_types.h"

namespace tinyenc {
namespace test {

// Little-endian encoding of GGUF fields; also for composing raw values.
class ByteWriter {
 public:
  template <typename T>
  ByteWriter& Put(T value) {
    static_assert(std::is_arithmetic<T>::value, "integers, bool and floats");
    if constexpr (std::is_floating_point<T>::value) {
      using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
      Bits bits;
      std::memcpy(&bits, &value, sizeof(bits));
      return Put(bits);
    } else {
      const auto bits = static_cast<std::make_unsigned_t<T>>(value);
      for (size_t i = 0; i < sizeof(T); ++i) bytes_.push_back(static_cast<uint8_t>(bits >> (8 * i)));
      return *this;
    }
  }
  ByteWriter& Put(bool value) { return Put<uint8_t>(value ? 1 : 0); }
  ByteWriter& PutString(const std::string& text) {
    Put<uint64_t>(text.size());
    return PutBytes(text.data(), text.size());
  }
  ByteWriter& PutBytes(const void* data, size_t size) {
    const uint8_t* begin = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), begin, begin + size);
    return *this;
  }
  ByteWriter& PutBytes(const std::vector<uint8_t>& data) { return PutBytes(data.data(), data.size()); }
  ByteWriter& PadTo(size_t size) {
    if (bytes_.size() < size) bytes_.resize(size, 0);
    return *this;
  }

  size_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t> Take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

template <typename T>
struct GgufTypeOf;
#define TINYENC_GGUF_TYPE_OF(cpp_type, gguf_type) \
  template <>                                    \
  struct GgufTypeOf<cpp_type> {                  \
    static constexpr GgufValueType value = GgufValueType::gguf_type; \
  }
TINYENC_GGUF_TYPE_OF(uint8_t, kU8);
TINYENC_GGUF_TYPE_OF(int8_t, kI8);
TINYENC_GGUF_TYPE_OF(uint16_t, kU16);
TINYENC_GGUF_TYPE_OF(int16_t, kI16);
TINYENC_GGUF_TYPE_OF(uint32_t, kU32);
TINYENC_GGUF_TYPE_OF(int32_t, kI32);
TINYENC_GGUF_TYPE_OF(float, kF32);
TINYENC_GGUF_TYPE_OF(bool, kBool);
TINYENC_GGUF_TYPE_OF(uint64_t, kU64);
TINYENC_GGUF_TYPE_OF(int64_t, kI64);
TINYENC_GGUF_TYPE_OF(double, kF64);
#undef TINYENC_GGUF_TYPE_OF

// Where Build() put each part of the file (byte offsets from its start).
struct GgufLayout {
  std::vector<size_t> key_starts;
  std::vector<size_t> tensor_info_starts;
  size_t tensor_infos_end = 0;
  size_t data = 0;                   // start of the data section
  std::vector<size_t> tensor_data;  // each tensor's first byte
};

class GgufBuilder {
 public:
  struct Tensor {
    std::string name;
    std::vector<int64_t> ne;         // n_dims is ne.size()
    uint32_t type = 0;               // ggml type id: a WeightType, or anything on purpose
    std::vector<uint8_t> data;
    std::optional<uint64_t> offset;  // written instead of the layout's offset
  };

  uint32_t version = kGgufVersion;
  std::optional<uint64_t> key_count;     // written instead of the number of keys
  std::optional<uint64_t> tensor_count;  // written instead of the number of tensors
  // As writers do (docs/FORMAT.md); without it, any cut of a file with
  // tensors must be an error.
  bool pad_after_last_tensor = true;

  void AddU8(const std::string& key, uint8_t value) { AddScalar(key, value); }
  void AddI8(const std::string& key, int8_t value) { AddScalar(key, value); }
  void AddU16(const std::string& key, uint16_t value) { AddScalar(key, value); }
  void AddI16(const std::string& key, int16_t value) { AddScalar(key, value); }
  void AddU32(const std::string& key, uint32_t value) { AddScalar(key, value); }
  void AddI32(const std::string& key, int32_t value) { AddScalar(key, value); }
  void AddF32(const std::string& key, float value) { AddScalar(key, value); }
  void AddBool(const std::string& key, bool value) { AddScalar(key, value); }
  void AddU64(const std::string& key, uint64_t value) { AddScalar(key, value); }
  void AddI64(const std::string& key, int64_t value) { AddScalar(key, value); }
  void AddF64(const std::string& key, double value) { AddScalar(key, value); }
  void AddString(const std::string& key, const std::string& value) {
    ByteWriter w;
    AddRaw(key, static_cast<uint32_t>(GgufValueType::kString), w.PutString(value).bytes());
  }

  template <typename T>
  void AddArray(const std::string& key, const std::vector<T>& values) {
    ByteWriter w;
    w.Put(static_cast<uint32_t>(GgufTypeOf<T>::value)).Put<uint64_t>(values.size());
    for (const T value : values) w.Put(value);
    AddRaw(key, static_cast<uint32_t>(GgufValueType::kArray), w.bytes());
  }
  void AddStringArray(const std::string& key, const std::vector<std::string>& values) {
    ByteWriter w;
    w.Put(static_cast<uint32_t>(GgufValueType::kString)).Put<uint64_t>(values.size());
    for (const std::string& value : values) w.PutString(value);
    AddRaw(key, static_cast<uint32_t>(GgufValueType::kArray), w.bytes());
  }

  // Any type id followed by any value bytes.
  void AddRaw(const std::string& key, uint32_t type, const std::vector<uint8_t>& value) {
    ByteWriter w;
    w.PutString(key).Put(type).PutBytes(value);
    keys_.push_back(w.Take());
  }

  // Writes general.alignment and lays the data section out with it.
  void SetAlignment(uint32_t alignment) {
    AddU32("general.alignment", alignment);
    alignment_ = alignment;
  }

  Tensor& AddTensor(const std::string& name, std::vector<int64_t> ne, WeightType type,
                    std::vector<uint8_t> data) {
    tensors_.push_back(Tensor{name, std::move(ne), static_cast<uint32_t>(type), std::move(data), {}});
    return tensors_.back();
  }
  // Deterministic filler data of the size the shape implies (none when the
  // shape is invalid).
  Tensor& AddTensor(const std::string& name, std::vector<int64_t> ne, WeightType type) {
    std::vector<uint8_t> data(TensorBytes(ne, type));
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 37 + tensors_.size());
    return AddTensor(name, std::move(ne), type, std::move(data));
  }
  Tensor& AddF32Tensor(const std::string& name, std::vector<int64_t> ne,
                       const std::vector<float>& values) {
    ByteWriter w;
    for (float value : values) w.Put(value);
    return AddTensor(name, std::move(ne), WeightType::kF32, w.Take());
  }

  // Valid shapes only; 0 otherwise.
  static size_t TensorBytes(const std::vector<int64_t>& ne, WeightType type) {
    size_t elements = 1;
    for (int64_t n : ne) {
      if (n < 1 || n > (int64_t{1} << 24)) return 0;
      elements *= static_cast<size_t>(n);
    }
    if (ne.empty() || ne[0] % static_cast<int64_t>(TypeBlockValues(type)) != 0) return 0;
    return elements / TypeBlockValues(type) * TypeBlockBytes(type);
  }

  std::vector<uint8_t> Build(GgufLayout* layout = nullptr) const {
    GgufLayout where;
    ByteWriter w;
    w.PutBytes("GGUF", 4).Put(version);
    w.Put<uint64_t>(tensor_count.value_or(tensors_.size()));
    w.Put<uint64_t>(key_count.value_or(keys_.size()));
    for (const std::vector<uint8_t>& key : keys_) {
      where.key_starts.push_back(w.size());
      w.PutBytes(key);
    }
    uint64_t offset = 0;
    std::vector<uint64_t> offsets;
    for (const Tensor& tensor : tensors_) {
      where.tensor_info_starts.push_back(w.size());
      offsets.push_back(offset);
      w.PutString(tensor.name).Put(static_cast<uint32_t>(tensor.ne.size()));
      for (int64_t n : tensor.ne) w.Put(n);
      w.Put(tensor.type).Put(tensor.offset.value_or(offset));
      offset = RoundUp(offset + tensor.data.size());
    }
    where.tensor_infos_end = w.size();
    where.data = RoundUp(w.size());
    for (size_t i = 0; i < tensors_.size(); ++i) {
      w.PadTo(where.data + offsets[i]);
      where.tensor_data.push_back(w.size());
      w.PutBytes(tensors_[i].data);
    }
    if (!tensors_.empty() && pad_after_last_tensor) w.PadTo(where.data + offset);
    if (layout != nullptr) *layout = where;
    return w.Take();
  }

 private:
  template <typename T>
  void AddScalar(const std::string& key, T value) {
    ByteWriter w;
    AddRaw(key, static_cast<uint32_t>(GgufTypeOf<T>::value), w.Put(value).bytes());
  }

  size_t RoundUp(size_t size) const { return (size + alignment_ - 1) / alignment_ * alignment_; }

  uint32_t alignment_ = kGgufDefaultAlignment;
  std::vector<std::vector<uint8_t>> keys_;
  std::deque<Tensor> tensors_;  // references from AddTensor stay valid
};

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_RUNTIME_GGUF_BUILDER_H_
