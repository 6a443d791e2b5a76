// Zero-copy reader for GGUF v3 files (docs/FORMAT.md) held in a caller's
// byte span: flash, an mmapped file or a buffer. Parse() validates the whole
// structure once; afterwards every lookup walks the already-checked bytes, so
// nothing is copied and nothing is allocated. The span must outlive the
// GgufFile and every view taken from it.
#ifndef TINYENC_RUNTIME_CORE_GGUF_H_
#define TINYENC_RUNTIME_CORE_GGUF_H_

#include <cstddef>
#include <cstdint>

#include "runtime/core/weight_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

enum class GgufValueType : uint32_t {
  kU8 = 0,
  kI8 = 1,
  kU16 = 2,
  kI16 = 3,
  kU32 = 4,
  kI32 = 5,
  kF32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kU64 = 10,
  kI64 = 11,
  kF64 = 12,
};

const char* GgufValueTypeName(GgufValueType type);

// Encoded size of a value of a raw type id: exact for scalars, the length or
// header alone for strings and arrays; 0 for ids GGUF does not define.
uint64_t GgufMinValueBytes(uint32_t type);

constexpr uint32_t kGgufVersion = 3;
constexpr uint32_t kGgufDefaultAlignment = 32;
constexpr size_t kGgufMaxDims = 4;
constexpr size_t kGgufMaxTensorName = 63;  // bytes, as llama.cpp (GGML_MAX_NAME - 1)
// Names are checked for uniqueness without a heap: at most
// kGgufMaxKeys / 64 walks of each section plus n^2 / 2 name comparisons, so
// Parse is linear in the file size; these caps bound the comparisons to
// milliseconds whatever the file claims. An encoder of
// kMaxLayers layers has a few hundred tensors and a few dozen keys.
constexpr size_t kGgufMaxKeys = 4096;
constexpr size_t kGgufMaxTensors = 4096;

// Bytes inside the span; not NUL-terminated.
struct GgufString {
  const char* data = nullptr;
  size_t size = 0;
  bool Equals(const char* text) const;  // text is NUL-terminated
};

// An array value where it lies. Elements of fixed-size types are contiguous
// little-endian values at `data`; string elements are walked with
// GgufStringCursor.
struct GgufArray {
  GgufValueType type = GgufValueType::kU8;
  uint64_t count = 0;
  const uint8_t* data = nullptr;
};

// Walks the elements of a validated string array in order.
class GgufStringCursor {
 public:
  explicit GgufStringCursor(const GgufArray& array);
  // False once every element has been returned.
  bool Next(GgufString* out);

 private:
  const uint8_t* next_ = nullptr;
  uint64_t remaining_ = 0;
};

// One key/value pair. For scalars `scalar` points at the little-endian value;
// strings are in `string`; arrays in `array`.
struct GgufValue {
  GgufString key;
  GgufValueType type = GgufValueType::kU8;
  const uint8_t* scalar = nullptr;
  GgufString string;
  GgufArray array;
};

struct GgufTensor {
  GgufString name;
  uint32_t n_dims = 0;
  uint64_t ne[kGgufMaxDims] = {1, 1, 1, 1};  // ne[0] is the row length; unused dims are 1
  WeightType type = WeightType::kF32;
  uint64_t offset = 0;          // from the start of the data section
  uint64_t bytes = 0;           // ne[0]*ne[1]*ne[2]*ne[3] values in `type`
  // Inside the span, at a multiple of the alignment from the span's start:
  // aligned in memory only when the span is (mmap gives page alignment).
  const uint8_t* data = nullptr;
  uint64_t rows() const { return ne[1] * ne[2] * ne[3]; }
};

class GgufFile {
 public:
  // Validates magic, version, counts, every key (type, length, no duplicates,
  // no nested arrays), general.alignment, every tensor info (name length and
  // uniqueness, n_dims <= 4, dims >= 1 without overflow, known type, ne[0] a
  // multiple of the block) and the data layout llama.cpp requires (data
  // section aligned; each offset the running aligned sum of the previous
  // tensors' sizes; all data inside the span). Each failure has its own
  // status code and a message naming the key or tensor. Where the codes
  // could overlap:
  // - a count or string length the whole span could never hold is
  //   kBadCount; one that merely runs past the end is kTruncated (so a very
  //   short prefix of a valid file can be kBadCount for its header counts);
  // - an empty key name is kBadCount, an empty tensor name kBadTensorInfo;
  // - a bool other than 0 or 1, scalar or in an array, is kBadValueType;
  // - a tensor whose offset is not the running sum is kBadTensorOffset even
  //   when it also points past the end.
  // Reads are bounds-checked and overflow-safe for any bytes. Time is linear
  // in the file size (the name check walks each section at most 64 times)
  // plus name comparisons quadratic in the number of keys and tensors (about
  // 1 ms for 400 tensors). On failure the file is left empty (parsed() false).
  Status Parse(const void* bytes, size_t size);

  bool parsed() const { return base_ != nullptr; }
  uint32_t version() const { return version_; }
  uint32_t alignment() const { return alignment_; }
  uint64_t key_count() const { return key_count_; }
  uint64_t tensor_count() const { return tensor_count_; }
  // Start of the data section; the file's size when it has no tensors and
  // ends before the (then optional) padding.
  size_t data_offset() const { return data_offset_; }
  size_t size() const { return size_; }

  // Lookups by exact name; false when absent. Each walks the keys or tensor
  // infos from the start: for loading, not for hot paths.
  bool FindKey(const char* key, GgufValue* out) const;
  bool FindTensor(const char* name, GgufTensor* out) const;

  // Typed getters: kMissingKey when absent, kKeyType when the stored type
  // does not convert. Integer getters accept any integer type whose value
  // fits (kBadHyperParameter names the key otherwise); GetF32 accepts f32 and
  // f64.
  Status GetU32(const char* key, uint32_t* out) const;
  Status GetI32(const char* key, int32_t* out) const;
  Status GetF32(const char* key, float* out) const;
  Status GetBool(const char* key, bool* out) const;
  Status GetString(const char* key, GgufString* out) const;
  Status GetArray(const char* key, GgufArray* out) const;

  // Walk all key_count() keys or tensor_count() tensors in file order; Next
  // returns false after the last.
  class KeyCursor {
   public:
    explicit KeyCursor(const GgufFile& file);
    bool Next(GgufValue* out);

   private:
    const GgufFile* file_;
    const uint8_t* next_;
    uint64_t remaining_;
  };
  class TensorCursor {
   public:
    explicit TensorCursor(const GgufFile& file);
    bool Next(GgufTensor* out);

   private:
    const GgufFile* file_;
    const uint8_t* next_;
    uint64_t remaining_;
  };

 private:
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  uint32_t version_ = 0;
  uint32_t alignment_ = kGgufDefaultAlignment;
  uint64_t key_count_ = 0;
  uint64_t tensor_count_ = 0;
  const uint8_t* keys_ = nullptr;     // first key/value pair
  const uint8_t* tensors_ = nullptr;  // first tensor info
  size_t data_offset_ = 0;
};

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_CORE_GGUF_H_
