#include "runtime/core/gguf.h"

#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>

namespace tinyenc {
namespace {

constexpr uint8_t kMagic[4] = {'G', 'G', 'U', 'F'};

// Smallest encodings, used to reject a count before anything loops over it:
// a key/value pair is a 1-byte name after its u64 length, a u32 type and a
// 1-byte value; a tensor info a 1-byte name, n_dims, one dimension, a type
// and an offset.
constexpr uint64_t kMinKeyValueBytes = 8 + 1 + 4 + 1;
constexpr uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8;

// Assembled byte by byte: the span may be unaligned and the host big-endian.
template <typename T>
T LoadLE(const uint8_t* bytes) {
  static_assert(std::is_unsigned<T>::value, "load unsigned, then BitCast");
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>(value | static_cast<T>(static_cast<T>(bytes[i]) << (8 * i)));
  }
  return value;
}

template <typename To, typename From>
To BitCast(From from) {
  static_assert(sizeof(To) == sizeof(From), "sizes differ");
  To to;
  std::memcpy(&to, &from, sizeof(to));
  return to;
}

bool SameString(const GgufString& a, const GgufString& b) {
  return a.size == b.size && (a.size == 0 || std::memcmp(a.data, b.data, a.size) == 0);
}

// A position inside the span; every read checks the bytes left first.
class Reader {
 public:
  Reader(const uint8_t* base, size_t size, const uint8_t* pos)
      : base_(base), size_(size), pos_(pos) {}

  const uint8_t* pos() const { return pos_; }
  size_t offset() const { return static_cast<size_t>(pos_ - base_); }
  uint64_t left() const { return size_ - offset(); }
  uint64_t span() const { return size_; }

  // The next n bytes, now consumed; nullptr when fewer are left.
  const uint8_t* Take(uint64_t n) {
    if (n > left()) return nullptr;
    const uint8_t* taken = pos_;
    pos_ += n;
    return taken;
  }

  template <typename T>
  bool Read(T* out) {
    const uint8_t* bytes = Take(sizeof(T));
    if (bytes == nullptr) return false;
    *out = LoadLE<T>(bytes);
    return true;
  }

 private:
  const uint8_t* base_;
  size_t size_;
  const uint8_t* pos_;
};

// What an error is about, for its message: "key 3" until the name has been
// read, then "key 'general.name'".
struct Subject {
  static constexpr uint64_t kNoIndex = ~uint64_t{0};
  const char* kind;
  uint64_t index = kNoIndex;
  GgufString name;
};

Status Fail(StatusCode code, const Subject& about, const char* format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

Status Fail(StatusCode code, const Subject& about, const char* format, ...) {
  char detail[Status::kMaxMessage];
  va_list args;
  va_start(args, format);
  std::vsnprintf(detail, sizeof(detail), format, args);
  va_end(args);
  if (about.name.size != 0) {
    // Long names would crowd the detail out of the fixed-size message.
    constexpr size_t kShown = 64;
    const bool cut = about.name.size > kShown;
    return Status::Error(code, "%s '%.*s%s': %s", about.kind,
                         static_cast<int>(cut ? kShown : about.name.size), about.name.data,
                         cut ? "..." : "", detail);
  }
  if (about.index != Subject::kNoIndex) {
    return Status::Error(code, "%s %" PRIu64 ": %s", about.kind, about.index, detail);
  }
  return Status::Error(code, "%s: %s", about.kind, detail);
}

// Checks `count` items of at least `min_bytes` each before anything walks or
// takes them: kBadCount when no file of this size could hold them, kTruncated
// when the file merely ends inside them. `what` is e.g. "name", `unit` "bytes".
Status CheckCount(const Reader& r, uint64_t count, uint64_t min_bytes, const Subject& about,
                  const char* what, const char* unit) {
  if (count > r.span() / min_bytes) {
    return Fail(StatusCode::kBadCount, about,
                "its %s of %" PRIu64 " %s cannot fit in a %" PRIu64 "-byte file", what, count,
                unit, r.span());
  }
  if (count > r.left() / min_bytes) {
    return Fail(StatusCode::kTruncated, about,
                "file ends inside its %s of %" PRIu64 " %s (%" PRIu64 " bytes left)", what, count,
                unit, r.left());
  }
  return Status::Ok();
}

Status ReadString(Reader* r, const Subject& about, const char* what, GgufString* out) {
  uint64_t length;
  if (!r->Read(&length)) {
    return Fail(StatusCode::kTruncated, about, "file ends inside the length of its %s", what);
  }
  const Status status = CheckCount(*r, length, 1, about, what, "bytes");
  if (!status.ok()) return status;
  out->data = reinterpret_cast<const char*>(r->Take(length));
  out->size = static_cast<size_t>(length);
  return Status::Ok();
}

Status CheckBool(uint8_t value, const Subject& about, uint64_t element) {
  if (value <= 1) return Status::Ok();
  if (element == Subject::kNoIndex) {
    return Fail(StatusCode::kBadValueType, about, "bool value %u is neither 0 nor 1", value);
  }
  return Fail(StatusCode::kBadValueType, about,
              "array element %" PRIu64 " is bool %u, neither 0 nor 1", element, value);
}

Status ReadArray(Reader* r, const Subject& about, GgufArray* out) {
  uint32_t type;
  if (!r->Read(&type)) {
    return Fail(StatusCode::kTruncated, about, "file ends inside its array element type");
  }
  if (static_cast<GgufValueType>(type) == GgufValueType::kArray) {
    return Fail(StatusCode::kBadValueType, about, "array of arrays");
  }
  const uint64_t element_bytes = GgufMinValueBytes(type);
  if (element_bytes == 0) {
    return Fail(StatusCode::kBadValueType, about, "array of unknown value type %" PRIu32, type);
  }
  uint64_t count;
  if (!r->Read(&count)) {
    return Fail(StatusCode::kTruncated, about, "file ends inside its array count");
  }
  Status status = CheckCount(*r, count, element_bytes, about, "array", "elements");
  if (!status.ok()) return status;

  out->type = static_cast<GgufValueType>(type);
  out->count = count;
  out->data = r->pos();
  if (out->type == GgufValueType::kString) {
    for (uint64_t i = 0; i < count; ++i) {
      GgufString element;
      status = ReadString(r, about, "array string", &element);
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }
  const uint8_t* elements = r->Take(count * element_bytes);  // CheckCount bounds the product
  if (out->type == GgufValueType::kBool) {
    for (uint64_t i = 0; i < count; ++i) {
      status = CheckBool(elements[i], about, i);
      if (!status.ok()) return status;
    }
  }
  return Status::Ok();
}

Status ReadValue(Reader* r, const Subject& about, GgufValue* out) {
  if (out->type == GgufValueType::kString) {
    return ReadString(r, about, "string value", &out->string);
  }
  if (out->type == GgufValueType::kArray) return ReadArray(r, about, &out->array);
  out->scalar = r->Take(GgufMinValueBytes(static_cast<uint32_t>(out->type)));
  if (out->scalar == nullptr) {
    return Fail(StatusCode::kTruncated, about, "file ends inside its %s value",
                GgufValueTypeName(out->type));
  }
  if (out->type == GgufValueType::kBool) return CheckBool(*out->scalar, about, Subject::kNoIndex);
  return Status::Ok();
}

Status ReadKeyValue(Reader* r, uint64_t index, GgufValue* out) {
  *out = GgufValue();
  Subject about{"key", index, {}};
  Status status = ReadString(r, about, "name", &out->key);
  if (!status.ok()) return status;
  // No status code is specific to key names; an empty one is a string length
  // the key cannot have.
  if (out->key.size == 0) return Fail(StatusCode::kBadCount, about, "empty name");
  about.name = out->key;
  uint32_t type;
  if (!r->Read(&type)) return Fail(StatusCode::kTruncated, about, "file ends inside its value type");
  if (GgufMinValueBytes(type) == 0) {
    return Fail(StatusCode::kBadValueType, about, "unknown value type %" PRIu32, type);
  }
  out->type = static_cast<GgufValueType>(type);
  return ReadValue(r, about, out);
}

// Reads and checks one tensor info; its offset is checked by Parse, which
// knows the layout. `data` is left null.
Status ReadTensorInfo(Reader* r, uint64_t index, GgufTensor* out) {
  *out = GgufTensor();
  Subject about{"tensor", index, {}};
  Status status = ReadString(r, about, "name", &out->name);
  if (!status.ok()) return status;
  if (out->name.size == 0) return Fail(StatusCode::kBadTensorInfo, about, "empty name");
  about.name = out->name;
  if (out->name.size > kGgufMaxTensorName) {
    return Fail(StatusCode::kBadTensorInfo, about, "name of %zu bytes, at most %zu allowed",
                out->name.size, kGgufMaxTensorName);
  }
  if (!r->Read(&out->n_dims)) {
    return Fail(StatusCode::kTruncated, about, "file ends inside its dimension count");
  }
  if (out->n_dims == 0 || out->n_dims > kGgufMaxDims) {
    return Fail(StatusCode::kBadTensorInfo, about, "%" PRIu32 " dimensions, expected 1 to %zu",
                out->n_dims, kGgufMaxDims);
  }
  // ggml keeps element counts in int64_t.
  constexpr uint64_t kMaxElements = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  uint64_t elements = 1;
  for (uint32_t d = 0; d < out->n_dims; ++d) {
    uint64_t ne;
    if (!r->Read(&ne)) {
      return Fail(StatusCode::kTruncated, about, "file ends inside ne[%" PRIu32 "]", d);
    }
    if (BitCast<int64_t>(ne) < 1) {
      return Fail(StatusCode::kBadTensorInfo, about, "ne[%" PRIu32 "] = %" PRId64 ", must be >= 1",
                  d, BitCast<int64_t>(ne));
    }
    if (elements > kMaxElements / ne) {
      return Fail(StatusCode::kBadTensorInfo, about,
                  "element count overflows int64 at ne[%" PRIu32 "] = %" PRIu64, d, ne);
    }
    elements *= ne;
    out->ne[d] = ne;
  }
  uint32_t type;
  if (!r->Read(&type)) return Fail(StatusCode::kTruncated, about, "file ends inside its type");
  const WeightTypeTraits* traits = FindBuiltWeightType(type);
  if (traits == nullptr) {
    return Fail(StatusCode::kUnsupportedType, about,
                "ggml type %" PRIu32 " is not one this build runs", type);
  }
  out->type = traits->type;
  const uint64_t block_values = traits->block_values;
  const uint64_t block_bytes = traits->block_bytes;
  if (out->ne[0] % block_values != 0) {
    return Fail(StatusCode::kBadTensorInfo, about,
                "ne[0] = %" PRIu64 " is not a multiple of the %s block of %" PRIu64, out->ne[0],
                traits->name, block_values);
  }
  // ne[0] is a block multiple, so the rows divide evenly too.
  const uint64_t blocks = elements / block_values;
  if (blocks > ~uint64_t{0} / block_bytes) {
    return Fail(StatusCode::kBadTensorInfo, about, "byte size overflows uint64");
  }
  out->bytes = blocks * block_bytes;
  if (!r->Read(&out->offset)) return Fail(StatusCode::kTruncated, about, "file ends inside its offset");
  return Status::Ok();
}

// Walks over already-validated entries reading only their names: the
// uniqueness checks below run these over every earlier entry.
const uint8_t* SkipName(const uint8_t* entry, GgufString* name) {
  name->size = static_cast<size_t>(LoadLE<uint64_t>(entry));
  name->data = reinterpret_cast<const char*>(entry + sizeof(uint64_t));
  return entry + sizeof(uint64_t) + name->size;
}

const uint8_t* SkipStrings(const uint8_t* first, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) first += sizeof(uint64_t) + LoadLE<uint64_t>(first);
  return first;
}

const uint8_t* NextKeyValue(const uint8_t* entry, GgufString* name) {
  const uint8_t* value = SkipName(entry, name) + sizeof(uint32_t);
  switch (static_cast<GgufValueType>(LoadLE<uint32_t>(value - sizeof(uint32_t)))) {
    case GgufValueType::kString:
      return SkipStrings(value, 1);
    case GgufValueType::kArray: {
      const uint32_t type = LoadLE<uint32_t>(value);
      const uint64_t count = LoadLE<uint64_t>(value + sizeof(uint32_t));
      const uint8_t* elements =
          value + GgufMinValueBytes(static_cast<uint32_t>(GgufValueType::kArray));
      if (static_cast<GgufValueType>(type) == GgufValueType::kString) {
        return SkipStrings(elements, count);
      }
      return elements + count * GgufMinValueBytes(type);
    }
    default:
      return value + GgufMinValueBytes(LoadLE<uint32_t>(value - sizeof(uint32_t)));
  }
}

const uint8_t* NextTensorInfo(const uint8_t* entry, GgufString* name) {
  const uint8_t* dims = SkipName(entry, name);
  const uint32_t n_dims = LoadLE<uint32_t>(dims);
  return dims + sizeof(uint32_t) + n_dims * sizeof(uint64_t) + sizeof(uint32_t) + sizeof(uint64_t);
}

// Names checked per walk of the entries. Without a heap, the entries'
// positions cannot all be kept; a block of names is, and one walk from the
// first entry compares every earlier name with it. Each walk steps over every
// earlier value (string arrays element by element), so the check costs at
// most kGgufMaxKeys / kNamesPerWalk walks of the section (linear in the file
// size) and n^2 / 2 name comparisons; checking each name with a walk of its
// own made it quadratic in keys x array elements (F4: 2.4 s for 4096 keys
// after a 1 MiB string array).
constexpr size_t kNamesPerWalk = 64;

// Finds the first entry whose name repeats an earlier one; entries are given
// in file order, and are all validated up to the last one given.
class UniqueNames {
 public:
  using Next = const uint8_t* (*)(const uint8_t*, GgufString*);
  UniqueNames(const uint8_t* first, Next next) : first_(first), next_(next) {}

  void Add(const GgufString& name) {
    names_[pending_++] = name;
    if (pending_ == kNamesPerWalk) Check();
  }
  // Checks the names added since the last check; false once a name repeats.
  bool Check();
  bool unique() const { return !found_; }

  Status Repeated(StatusCode code, const char* kind) const {
    return Fail(code, Subject{kind, repeat_, repeat_name_}, "appears again (first as %s %" PRIu64 ")",
                kind, earlier_);
  }

 private:
  const uint8_t* first_;
  Next next_;
  GgufString names_[kNamesPerWalk];
  size_t pending_ = 0;
  uint64_t start_ = 0;  // index of names_[0]
  bool found_ = false;
  uint64_t repeat_ = 0, earlier_ = 0;
  GgufString repeat_name_;
};

bool UniqueNames::Check() {
  if (found_ || pending_ == 0) return !found_;
  const uint64_t end = start_ + pending_;
  const uint8_t* at = first_;
  GgufString name;
  for (uint64_t j = 0; j < end; ++j) {
    at = next_(at, &name);
    // Entry j against the pending names after it; the lowest repeating index
    // wins, and for it the first earlier entry.
    for (size_t k = j < start_ ? 0 : static_cast<size_t>(j - start_) + 1; k < pending_; ++k) {
      if ((!found_ || start_ + k < repeat_) && SameString(name, names_[k])) {
        found_ = true;
        repeat_ = start_ + k;
        earlier_ = j;
        repeat_name_ = names_[k];
      }
    }
  }
  start_ = end;
  pending_ = 0;
  return !found_;
}

Status ReadAlignment(const GgufValue& value, uint32_t* alignment) {
  if (value.type != GgufValueType::kU32) {
    return Status::Error(StatusCode::kBadAlignment, "key 'general.alignment': %s, expected u32",
                         GgufValueTypeName(value.type));
  }
  const uint32_t bytes = LoadLE<uint32_t>(value.scalar);
  if (bytes == 0 || (bytes & (bytes - 1)) != 0) {
    return Status::Error(StatusCode::kBadAlignment,
                         "key 'general.alignment': %" PRIu32 " is not a power of two", bytes);
  }
  *alignment = bytes;
  return Status::Ok();
}

uint64_t RoundUp(uint64_t value, uint32_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// llama.cpp's layout: each offset is the previous tensors' sizes, each rounded
// up to the alignment, summed in tensor-info order.
Status CheckTensorOffset(const GgufTensor& tensor, const Subject& about, uint32_t alignment,
                         uint64_t expected_offset, uint64_t data_bytes, uint64_t data_offset) {
  if (tensor.offset % alignment != 0) {
    return Fail(StatusCode::kBadTensorOffset, about,
                "offset %" PRIu64 " is not a multiple of the alignment %" PRIu32, tensor.offset,
                alignment);
  }
  if (tensor.offset != expected_offset) {
    return Fail(StatusCode::kBadTensorOffset, about, "offset %" PRIu64 ", expected %" PRIu64,
                tensor.offset, expected_offset);
  }
  if (tensor.offset > data_bytes || tensor.bytes > data_bytes - tensor.offset) {
    return Fail(StatusCode::kTruncated, about,
                "its %" PRIu64 " bytes at file offset %" PRIu64 " end past the file's %" PRIu64
                " bytes",
                tensor.bytes, data_offset + tensor.offset, data_offset + data_bytes);
  }
  return Status::Ok();
}

}  // namespace

uint64_t GgufMinValueBytes(uint32_t type) {
  switch (static_cast<GgufValueType>(type)) {
    case GgufValueType::kU8:
    case GgufValueType::kI8:
    case GgufValueType::kBool:
      return 1;
    case GgufValueType::kU16:
    case GgufValueType::kI16:
      return 2;
    case GgufValueType::kU32:
    case GgufValueType::kI32:
    case GgufValueType::kF32:
      return 4;
    case GgufValueType::kU64:
    case GgufValueType::kI64:
    case GgufValueType::kF64:
    case GgufValueType::kString:
      return 8;
    case GgufValueType::kArray:
      return 4 + 8;
  }
  return 0;
}

const char* GgufValueTypeName(GgufValueType type) {
  switch (type) {
    case GgufValueType::kU8:
      return "u8";
    case GgufValueType::kI8:
      return "i8";
    case GgufValueType::kU16:
      return "u16";
    case GgufValueType::kI16:
      return "i16";
    case GgufValueType::kU32:
      return "u32";
    case GgufValueType::kI32:
      return "i32";
    case GgufValueType::kF32:
      return "f32";
    case GgufValueType::kBool:
      return "bool";
    case GgufValueType::kString:
      return "string";
    case GgufValueType::kArray:
      return "array";
    case GgufValueType::kU64:
      return "u64";
    case GgufValueType::kI64:
      return "i64";
    case GgufValueType::kF64:
      return "f64";
  }
  return "unknown";
}

bool GgufString::Equals(const char* text) const {
  const size_t length = std::strlen(text);
  return length == size && (size == 0 || std::memcmp(data, text, size) == 0);
}

GgufStringCursor::GgufStringCursor(const GgufArray& array)
    : next_(array.data), remaining_(array.type == GgufValueType::kString ? array.count : 0) {}

bool GgufStringCursor::Next(GgufString* out) {
  if (remaining_ == 0) return false;
  --remaining_;
  out->size = static_cast<size_t>(LoadLE<uint64_t>(next_));
  out->data = reinterpret_cast<const char*>(next_ + sizeof(uint64_t));
  next_ += sizeof(uint64_t) + out->size;
  return true;
}

Status GgufFile::Parse(const void* bytes, size_t size) {
  *this = GgufFile();
  if (bytes == nullptr && size != 0) {
    return Status::Error(StatusCode::kInvalidArgument, "GGUF span of %zu bytes at nullptr", size);
  }
  const uint8_t* base = static_cast<const uint8_t*>(bytes);
  Reader r(base, size, base);
  const Subject header{"GGUF header", Subject::kNoIndex, {}};

  const size_t magic_seen = size < sizeof(kMagic) ? size : sizeof(kMagic);
  if (magic_seen != 0 && std::memcmp(base, kMagic, magic_seen) != 0) {
    char shown[2 * sizeof(kMagic) + 1] = {};
    for (size_t i = 0; i < magic_seen; ++i) std::snprintf(shown + 2 * i, 3, "%02x", base[i]);
    return Status::Error(StatusCode::kBadMagic, "file starts with bytes %s, not 'GGUF'", shown);
  }
  uint32_t version;
  uint64_t tensor_count, key_count;
  if (r.Take(sizeof(kMagic)) == nullptr || !r.Read(&version)) {
    return Fail(StatusCode::kTruncated, header, "file of %zu bytes ends inside it", size);
  }
  if (version != kGgufVersion) {
    return Status::Error(StatusCode::kUnsupportedVersion,
                         "GGUF version %" PRIu32 "%s, only %" PRIu32 " is supported", version,
                         version > 0xFFFF ? " (a big-endian file?)" : "", kGgufVersion);
  }
  if (!r.Read(&tensor_count) || !r.Read(&key_count)) {
    return Fail(StatusCode::kTruncated, header, "file of %zu bytes ends inside it", size);
  }
  // Only the impossible is rejected here; a file cut short inside the keys or
  // tensor infos is reported where it ends.
  if (key_count > size / kMinKeyValueBytes || tensor_count > size / kMinTensorInfoBytes) {
    return Fail(StatusCode::kBadCount, header,
                "%" PRIu64 " keys and %" PRIu64 " tensor infos cannot fit in a %zu-byte file",
                key_count, tensor_count, size);
  }

  if (key_count > kGgufMaxKeys || tensor_count > kGgufMaxTensors) {
    return Fail(StatusCode::kBadCount, header,
                "%" PRIu64 " keys and %" PRIu64 " tensors; tinyenc reads at most %zu of each",
                key_count, tensor_count, kGgufMaxKeys);
  }

  const Reader first_key = r;
  UniqueNames keys(first_key.pos(), NextKeyValue);
  uint32_t alignment = kGgufDefaultAlignment;
  for (uint64_t i = 0; i < key_count; ++i) {
    GgufValue value;
    Status status = ReadKeyValue(&r, i, &value);
    if (status.ok()) keys.Add(value.key);
    if (status.ok() && keys.unique() && value.key.Equals("general.alignment")) {
      status = ReadAlignment(value, &alignment);
    }
    // A name repeated before this entry's fault is the first fault.
    if (!status.ok() && keys.Check()) return status;
    if (!keys.unique()) return keys.Repeated(StatusCode::kDuplicateKey, "key");
  }
  if (!keys.Check()) return keys.Repeated(StatusCode::kDuplicateKey, "key");

  const Reader first_tensor = r;
  UniqueNames tensors(first_tensor.pos(), NextTensorInfo);
  for (uint64_t i = 0; i < tensor_count; ++i) {
    GgufTensor tensor;
    const Status status = ReadTensorInfo(&r, i, &tensor);
    if (status.ok()) tensors.Add(tensor.name);
    if (!status.ok() && tensors.Check()) return status;
    if (!tensors.unique()) return tensors.Repeated(StatusCode::kDuplicateTensor, "tensor");
  }
  if (!tensors.Check()) return tensors.Repeated(StatusCode::kDuplicateTensor, "tensor");

  // Without tensors the data section is empty and the padding before it
  // optional, as in llama.cpp.
  const uint64_t aligned_end = RoundUp(r.offset(), alignment);
  const uint64_t data_bytes = aligned_end <= size ? size - aligned_end : 0;
  uint64_t expected_offset = 0;
  Reader infos = first_tensor;
  for (uint64_t i = 0; i < tensor_count; ++i) {
    GgufTensor tensor;
    ReadTensorInfo(&infos, i, &tensor);  // validated above
    const Status status = CheckTensorOffset(tensor, Subject{"tensor", i, tensor.name}, alignment,
                                            expected_offset, data_bytes, aligned_end);
    if (!status.ok()) return status;
    // Both terms are within the file, so the sum cannot wrap.
    expected_offset = tensor.offset + RoundUp(tensor.bytes, alignment);
  }

  base_ = base;
  size_ = size;
  version_ = version;
  alignment_ = alignment;
  key_count_ = key_count;
  tensor_count_ = tensor_count;
  keys_ = first_key.pos();
  tensors_ = first_tensor.pos();
  data_offset_ = static_cast<size_t>(size - data_bytes);
  return Status::Ok();
}

GgufFile::KeyCursor::KeyCursor(const GgufFile& file)
    : file_(&file), next_(file.keys_), remaining_(file.key_count_) {}

bool GgufFile::KeyCursor::Next(GgufValue* out) {
  if (remaining_ == 0) return false;
  Reader r(file_->base_, file_->size_, next_);
  if (!ReadKeyValue(&r, 0, out).ok()) return false;  // unreachable: validated by Parse
  next_ = r.pos();
  --remaining_;
  return true;
}

GgufFile::TensorCursor::TensorCursor(const GgufFile& file)
    : file_(&file), next_(file.tensors_), remaining_(file.tensor_count_) {}

bool GgufFile::TensorCursor::Next(GgufTensor* out) {
  if (remaining_ == 0) return false;
  Reader r(file_->base_, file_->size_, next_);
  if (!ReadTensorInfo(&r, 0, out).ok()) return false;  // unreachable: validated by Parse
  out->data = file_->base_ + file_->data_offset_ + out->offset;
  next_ = r.pos();
  --remaining_;
  return true;
}

bool GgufFile::FindKey(const char* key, GgufValue* out) const {
  KeyCursor keys(*this);
  while (keys.Next(out)) {
    if (out->key.Equals(key)) return true;
  }
  return false;
}

bool GgufFile::FindTensor(const char* name, GgufTensor* out) const {
  TensorCursor tensors(*this);
  while (tensors.Next(out)) {
    if (out->name.Equals(name)) return true;
  }
  return false;
}

namespace {

Status Lookup(const GgufFile& file, const char* key, GgufValue* out) {
  if (file.FindKey(key, out)) return Status::Ok();
  return Status::Error(StatusCode::kMissingKey, "key '%s' is absent", key);
}

Status FindTyped(const GgufFile& file, const char* key, GgufValueType type, GgufValue* out) {
  const Status status = Lookup(file, key, out);
  if (!status.ok()) return status;
  if (out->type != type) {
    return Status::Error(StatusCode::kKeyType, "key '%s' holds %s, expected %s", key,
                         GgufValueTypeName(out->type), GgufValueTypeName(type));
  }
  return Status::Ok();
}

// An integer value widened without loss: negative ones in `negative_value`,
// the rest in `value`.
struct WideInteger {
  bool negative = false;
  int64_t negative_value = 0;
  uint64_t value = 0;
};

bool Widen(const GgufValue& v, WideInteger* out) {
  int64_t signed_value;
  switch (v.type) {
    case GgufValueType::kU8:
      out->value = v.scalar[0];
      return true;
    case GgufValueType::kU16:
      out->value = LoadLE<uint16_t>(v.scalar);
      return true;
    case GgufValueType::kU32:
      out->value = LoadLE<uint32_t>(v.scalar);
      return true;
    case GgufValueType::kU64:
      out->value = LoadLE<uint64_t>(v.scalar);
      return true;
    case GgufValueType::kI8:
      signed_value = BitCast<int8_t>(v.scalar[0]);
      break;
    case GgufValueType::kI16:
      signed_value = BitCast<int16_t>(LoadLE<uint16_t>(v.scalar));
      break;
    case GgufValueType::kI32:
      signed_value = BitCast<int32_t>(LoadLE<uint32_t>(v.scalar));
      break;
    case GgufValueType::kI64:
      signed_value = BitCast<int64_t>(LoadLE<uint64_t>(v.scalar));
      break;
    default:
      return false;
  }
  out->negative = signed_value < 0;
  out->negative_value = signed_value;
  out->value = out->negative ? 0 : static_cast<uint64_t>(signed_value);
  return true;
}

template <typename T>
Status GetInteger(const GgufFile& file, const char* key, T* out) {
  GgufValue v;
  const Status status = Lookup(file, key, &v);
  if (!status.ok()) return status;
  WideInteger wide;
  if (!Widen(v, &wide)) {
    return Status::Error(StatusCode::kKeyType, "key '%s' holds %s, expected an integer", key,
                         GgufValueTypeName(v.type));
  }
  using Limits = std::numeric_limits<T>;
  if (wide.negative) {
    if (wide.negative_value >= static_cast<int64_t>(Limits::min())) {
      *out = static_cast<T>(wide.negative_value);
      return Status::Ok();
    }
    return Status::Error(StatusCode::kBadHyperParameter, "key '%s': %" PRId64 " does not fit in %s",
                         key, wide.negative_value, Limits::is_signed ? "i32" : "u32");
  }
  if (wide.value <= static_cast<uint64_t>(Limits::max())) {
    *out = static_cast<T>(wide.value);
    return Status::Ok();
  }
  return Status::Error(StatusCode::kBadHyperParameter, "key '%s': %" PRIu64 " does not fit in %s",
                       key, wide.value, Limits::is_signed ? "i32" : "u32");
}

}  // namespace

Status GgufFile::GetU32(const char* key, uint32_t* out) const {
  return GetInteger(*this, key, out);
}

Status GgufFile::GetI32(const char* key, int32_t* out) const {
  return GetInteger(*this, key, out);
}

Status GgufFile::GetF32(const char* key, float* out) const {
  GgufValue v;
  const Status status = Lookup(*this, key, &v);
  if (!status.ok()) return status;
  if (v.type == GgufValueType::kF32) {
    *out = BitCast<float>(LoadLE<uint32_t>(v.scalar));
    return Status::Ok();
  }
  if (v.type != GgufValueType::kF64) {
    return Status::Error(StatusCode::kKeyType, "key '%s' holds %s, expected f32 or f64", key,
                         GgufValueTypeName(v.type));
  }
  const double value = BitCast<double>(LoadLE<uint64_t>(v.scalar));
  if (std::isfinite(value) && std::fabs(value) > std::numeric_limits<float>::max()) {
    return Status::Error(StatusCode::kBadHyperParameter, "key '%s': %g does not fit in f32", key,
                         value);
  }
  *out = static_cast<float>(value);
  return Status::Ok();
}

Status GgufFile::GetBool(const char* key, bool* out) const {
  GgufValue v;
  const Status status = FindTyped(*this, key, GgufValueType::kBool, &v);
  if (status.ok()) *out = v.scalar[0] != 0;
  return status;
}

Status GgufFile::GetString(const char* key, GgufString* out) const {
  GgufValue v;
  const Status status = FindTyped(*this, key, GgufValueType::kString, &v);
  if (status.ok()) *out = v.string;
  return status;
}

Status GgufFile::GetArray(const char* key, GgufArray* out) const {
  GgufValue v;
  const Status status = FindTyped(*this, key, GgufValueType::kArray, &v);
  if (status.ok()) *out = v.array;
  return status;
}

}  // namespace tinyenc
