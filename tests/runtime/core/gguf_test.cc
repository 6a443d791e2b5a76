// GgufFile on files written by GgufBuilder: every value and tensor type read
// back where the layout puts it, one test per class of malformed file
// asserting its specific status code, and a deterministic mutation run that
// must never crash (the suite is also run under ASan and UBSan).
#include "runtime/core/gguf.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "runtime/core/gguf_builder.h"
#include "runtime/core/weight_types.h"
#include "tests/test_util.h"

namespace tinyenc {
namespace {

using test::ByteWriter;
using test::GgufBuilder;
using test::GgufLayout;

constexpr uint64_t kHuge = uint64_t{1} << 63;

// Parses a copy of exactly `size` bytes on the heap, so that ASan sees any
// read past the end. The copy outlives the returned file's use.
struct Parsed {
  std::vector<uint8_t> bytes;
  GgufFile file;
  Status status;
};

Parsed Parse(const std::vector<uint8_t>& file, size_t size) {
  Parsed parsed;
  parsed.bytes.assign(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(size));
  parsed.status = parsed.file.Parse(parsed.bytes.data(), parsed.bytes.size());
  return parsed;
}
Parsed Parse(const std::vector<uint8_t>& file) { return Parse(file, file.size()); }

StatusCode CodeOf(const std::vector<uint8_t>& file) { return Parse(file).status.code(); }
StatusCode CodeOf(const GgufBuilder& builder) { return CodeOf(builder.Build()); }

std::string MessageOf(const GgufBuilder& builder) { return Parse(builder.Build()).status.message(); }

void PutU64At(std::vector<uint8_t>* file, size_t at, uint64_t value) {
  for (size_t i = 0; i < 8; ++i) (*file)[at + i] = static_cast<uint8_t>(value >> (8 * i));
}

std::string Str(const GgufString& s) { return std::string(s.data, s.size); }

// One key of every value type, arrays, and a tensor of every type.
GgufBuilder RichBuilder() {
  GgufBuilder b;
  b.AddString("general.architecture", "bert");
  b.AddU8("t.u8", 200);
  b.AddI8("t.i8", -100);
  b.AddU16("t.u16", 60000);
  b.AddI16("t.i16", -30000);
  b.AddU32("t.u32", 4000000000u);
  b.AddI32("t.i32", -2000000000);
  b.AddF32("t.f32", 1.5f);
  b.AddBool("t.bool", true);
  b.AddU64("t.u64", uint64_t{1} << 40);
  b.AddI64("t.i64", -(int64_t{1} << 40));
  b.AddF64("t.f64", 0.25);
  b.AddString("t.empty", "");
  b.AddStringArray("tokenizer.ggml.tokens", {"[PAD]", "", "hello", "\xe2\x96\x81world"});
  b.AddArray<int32_t>("tokenizer.ggml.token_type", {3, 1, -1});
  b.AddArray<float>("t.floats", {0.5f, -2.0f});
  b.AddArray<bool>("t.bools", {true, false});
  b.AddArray<uint64_t>("t.empty_array", {});
  b.AddTensor("f32", {8, 3}, WeightType::kF32);
  b.AddTensor("f16", {5}, WeightType::kF16);
  b.AddTensor("q8", {64, 2}, WeightType::kQ8_0);
  b.AddTensor("q4", {32, 3, 1, 2}, WeightType::kQ4_0);
  return b;
}

// A small file with string keys, a u32, an array and two tensors. The first
// key takes the rest past byte 66, below which two tensor infos of at least
// 33 bytes could not fit and the header's counts alone are kBadCount.
GgufBuilder SmallBuilder() {
  GgufBuilder b;
  b.AddString("general.name", "tinyenc small test");
  b.AddString("general.architecture", "bert");
  b.AddU32("bert.block_count", 2);
  b.AddArray<uint32_t>("t.array", {1, 2, 3});
  b.AddTensor("a", {4}, WeightType::kF32);
  b.AddTensor("b", {2, 3}, WeightType::kF32);
  return b;
}

template <typename T>
T Load(const uint8_t* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(value));  // the host is little-endian, as GGUF
  return value;
}

TEST_CASE("Every scalar value type reads back") {
  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE_MESSAGE(p.status.ok(), p.status.message());
  CHECK(p.file.parsed());
  CHECK(p.file.version() == 3);
  CHECK(p.file.alignment() == kGgufDefaultAlignment);
  CHECK(p.file.key_count() == 18);
  CHECK(p.file.tensor_count() == 4);

  GgufValue v;
  REQUIRE(p.file.FindKey("t.u8", &v));
  CHECK(v.type == GgufValueType::kU8);
  CHECK(*v.scalar == 200);
  REQUIRE(p.file.FindKey("t.i8", &v));
  CHECK(Load<int8_t>(v.scalar) == -100);
  REQUIRE(p.file.FindKey("t.u16", &v));
  CHECK(Load<uint16_t>(v.scalar) == 60000);
  REQUIRE(p.file.FindKey("t.i16", &v));
  CHECK(Load<int16_t>(v.scalar) == -30000);
  REQUIRE(p.file.FindKey("t.u32", &v));
  CHECK(Load<uint32_t>(v.scalar) == 4000000000u);
  REQUIRE(p.file.FindKey("t.i32", &v));
  CHECK(Load<int32_t>(v.scalar) == -2000000000);
  REQUIRE(p.file.FindKey("t.f32", &v));
  CHECK(Load<float>(v.scalar) == 1.5f);
  REQUIRE(p.file.FindKey("t.bool", &v));
  CHECK(v.type == GgufValueType::kBool);
  CHECK(*v.scalar == 1);
  REQUIRE(p.file.FindKey("t.u64", &v));
  CHECK(Load<uint64_t>(v.scalar) == uint64_t{1} << 40);
  REQUIRE(p.file.FindKey("t.i64", &v));
  CHECK(Load<int64_t>(v.scalar) == -(int64_t{1} << 40));
  REQUIRE(p.file.FindKey("t.f64", &v));
  CHECK(Load<double>(v.scalar) == 0.25);
  REQUIRE(p.file.FindKey("general.architecture", &v));
  CHECK(v.type == GgufValueType::kString);
  CHECK(v.string.Equals("bert"));
  CHECK(v.scalar == nullptr);
  REQUIRE(p.file.FindKey("t.empty", &v));
  CHECK(v.string.size == 0);
  CHECK(v.string.Equals(""));
  CHECK_FALSE(v.string.Equals("x"));
}

TEST_CASE("Arrays read back; the string cursor walks string arrays in order") {
  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE(p.status.ok());
  GgufArray array;
  REQUIRE(p.file.GetArray("tokenizer.ggml.tokens", &array).ok());
  CHECK(array.type == GgufValueType::kString);
  CHECK(array.count == 4);
  std::vector<std::string> tokens;
  GgufStringCursor cursor(array);
  for (GgufString token; cursor.Next(&token);) tokens.push_back(Str(token));
  CHECK(tokens == std::vector<std::string>{"[PAD]", "", "hello", "\xe2\x96\x81world"});
  GgufString after;
  CHECK_FALSE(cursor.Next(&after));

  REQUIRE(p.file.GetArray("tokenizer.ggml.token_type", &array).ok());
  CHECK(array.type == GgufValueType::kI32);
  REQUIRE(array.count == 3);
  CHECK(Load<int32_t>(array.data + 8) == -1);
  // A string cursor over a non-string array yields nothing.
  GgufStringCursor not_strings(array);
  CHECK_FALSE(not_strings.Next(&after));

  REQUIRE(p.file.GetArray("t.floats", &array).ok());
  CHECK(array.type == GgufValueType::kF32);
  CHECK(Load<float>(array.data + 4) == -2.0f);
  REQUIRE(p.file.GetArray("t.bools", &array).ok());
  CHECK(array.type == GgufValueType::kBool);
  CHECK(array.data[0] == 1);
  CHECK(array.data[1] == 0);
  REQUIRE(p.file.GetArray("t.empty_array", &array).ok());
  CHECK(array.type == GgufValueType::kU64);
  CHECK(array.count == 0);
}

void CheckTensorsWhereLaidOut(uint32_t alignment) {
  INFO("alignment ", alignment);
  GgufBuilder b = RichBuilder();
  if (alignment != kGgufDefaultAlignment) b.SetAlignment(alignment);
  GgufLayout layout;
  const std::vector<uint8_t> bytes = b.Build(&layout);
  const Parsed p = Parse(bytes);
  REQUIRE_MESSAGE(p.status.ok(), p.status.message());
  CHECK(p.file.alignment() == alignment);
  CHECK(p.file.data_offset() == layout.data);
  CHECK(p.file.data_offset() % alignment == 0);
  CHECK(p.file.size() == bytes.size());

  struct Want {
    const char* name;
    WeightType type;
    uint32_t n_dims;
    uint64_t ne[4];
    uint64_t bytes;
  };
  const Want wants[] = {
      {"f32", WeightType::kF32, 2, {8, 3, 1, 1}, 8 * 3 * 4},
      {"f16", WeightType::kF16, 1, {5, 1, 1, 1}, 5 * 2},
      {"q8", WeightType::kQ8_0, 2, {64, 2, 1, 1}, 2 * 2 * 34},
      {"q4", WeightType::kQ4_0, 4, {32, 3, 1, 2}, 6 * 18},
  };
  uint64_t expected_offset = 0;
  for (size_t i = 0; i < 4; ++i) {
    const Want& want = wants[i];
    INFO("tensor ", want.name);
    GgufTensor t;
    REQUIRE(p.file.FindTensor(want.name, &t));
    CHECK(t.type == want.type);
    CHECK(t.n_dims == want.n_dims);
    for (size_t d = 0; d < 4; ++d) CHECK(t.ne[d] == want.ne[d]);
    CHECK(t.rows() == want.ne[1] * want.ne[2] * want.ne[3]);
    CHECK(t.bytes == want.bytes);
    CHECK(t.offset == expected_offset);
    CHECK(t.data == p.bytes.data() + layout.tensor_data[i]);
    CHECK(t.data == p.bytes.data() + p.file.data_offset() + t.offset);
    CHECK(std::memcmp(t.data, bytes.data() + layout.tensor_data[i], t.bytes) == 0);
    expected_offset += (want.bytes + alignment - 1) / alignment * alignment;
  }
}

TEST_CASE("Tensors of every type, at the default and larger alignments") {
  CheckTensorsWhereLaidOut(kGgufDefaultAlignment);
  CheckTensorsWhereLaidOut(64);
  CheckTensorsWhereLaidOut(256);
}

TEST_CASE("An alignment of 1 packs tensors without padding") {
  GgufBuilder b;
  b.SetAlignment(1);
  b.AddTensor("a", {3}, WeightType::kF16);
  b.AddTensor("b", {1}, WeightType::kF32);
  const Parsed p = Parse(b.Build());
  REQUIRE_MESSAGE(p.status.ok(), p.status.message());
  GgufTensor t;
  REQUIRE(p.file.FindTensor("b", &t));
  CHECK(t.offset == 6);
}

TEST_CASE("Cursors walk keys and tensors in file order") {
  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE(p.status.ok());
  std::vector<std::string> keys;
  GgufFile::KeyCursor key_cursor(p.file);
  for (GgufValue v; key_cursor.Next(&v);) keys.push_back(Str(v.key));
  REQUIRE(keys.size() == p.file.key_count());
  CHECK(keys.front() == "general.architecture");
  CHECK(keys[1] == "t.u8");
  CHECK(keys.back() == "t.empty_array");

  std::vector<std::string> names;
  GgufFile::TensorCursor tensor_cursor(p.file);
  for (GgufTensor t; tensor_cursor.Next(&t);) names.push_back(Str(t.name));
  CHECK(names == std::vector<std::string>{"f32", "f16", "q8", "q4"});
}

TEST_CASE("Integer getters convert any integer that fits") {
  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE(p.status.ok());
  uint32_t u = 0;
  int32_t i = 0;
  CHECK(p.file.GetU32("t.u8", &u).ok());
  CHECK(u == 200);
  CHECK(p.file.GetU32("t.u16", &u).ok());
  CHECK(u == 60000);
  CHECK(p.file.GetU32("t.u32", &u).ok());
  CHECK(u == 4000000000u);
  CHECK(p.file.GetI32("t.i8", &i).ok());
  CHECK(i == -100);
  CHECK(p.file.GetI32("t.i16", &i).ok());
  CHECK(i == -30000);
  CHECK(p.file.GetI32("t.i32", &i).ok());
  CHECK(i == -2000000000);
  CHECK(p.file.GetI32("t.u16", &i).ok());
  CHECK(i == 60000);

  GgufBuilder b;
  b.AddI64("small_i64", 7);
  b.AddU64("small_u64", 9);
  b.AddI64("min_i32", std::numeric_limits<int32_t>::min());
  b.AddU64("max_u32", std::numeric_limits<uint32_t>::max());
  const Parsed q = Parse(b.Build());
  REQUIRE(q.status.ok());
  CHECK(q.file.GetU32("small_i64", &u).ok());
  CHECK(u == 7);
  CHECK(q.file.GetI32("small_u64", &i).ok());
  CHECK(i == 9);
  CHECK(q.file.GetI32("min_i32", &i).ok());
  CHECK(i == std::numeric_limits<int32_t>::min());
  CHECK(q.file.GetU32("max_u32", &u).ok());
  CHECK(u == std::numeric_limits<uint32_t>::max());
}

TEST_CASE("Integer getters: kBadHyperParameter when the value does not fit") {
  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE(p.status.ok());
  uint32_t u = 123;
  int32_t i = 123;
  const Status negative = p.file.GetU32("t.i8", &u);
  CHECK(negative.code() == StatusCode::kBadHyperParameter);
  CHECK(std::string(negative.message()).find("t.i8") != std::string::npos);
  CHECK(p.file.GetU32("t.u64", &u).code() == StatusCode::kBadHyperParameter);
  CHECK(p.file.GetU32("t.i64", &u).code() == StatusCode::kBadHyperParameter);
  CHECK(p.file.GetI32("t.u32", &i).code() == StatusCode::kBadHyperParameter);
  CHECK(p.file.GetI32("t.i64", &i).code() == StatusCode::kBadHyperParameter);
  CHECK(u == 123);  // untouched on failure
  CHECK(i == 123);
}

TEST_CASE("Getters: kKeyType for types that do not convert, kMissingKey when absent") {
  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE(p.status.ok());
  uint32_t u;
  int32_t i;
  float f;
  bool flag;
  GgufString s;
  GgufArray a;
  for (const char* key : {"t.f32", "t.bool", "general.architecture", "t.floats", "t.f64"}) {
    INFO(key);
    CHECK(p.file.GetU32(key, &u).code() == StatusCode::kKeyType);
    CHECK(p.file.GetI32(key, &i).code() == StatusCode::kKeyType);
  }
  const Status wrong = p.file.GetF32("t.u32", &f);
  CHECK(wrong.code() == StatusCode::kKeyType);
  CHECK(std::string(wrong.message()).find("'t.u32' holds u32") != std::string::npos);
  CHECK(p.file.GetBool("t.u8", &flag).code() == StatusCode::kKeyType);
  CHECK(p.file.GetString("t.floats", &s).code() == StatusCode::kKeyType);
  CHECK(p.file.GetArray("general.architecture", &a).code() == StatusCode::kKeyType);

  const Status missing = p.file.GetU32("bert.block_count", &u);
  CHECK(missing.code() == StatusCode::kMissingKey);
  CHECK(std::string(missing.message()).find("bert.block_count") != std::string::npos);
  CHECK(p.file.GetI32("x", &i).code() == StatusCode::kMissingKey);
  CHECK(p.file.GetF32("x", &f).code() == StatusCode::kMissingKey);
  CHECK(p.file.GetBool("x", &flag).code() == StatusCode::kMissingKey);
  CHECK(p.file.GetString("x", &s).code() == StatusCode::kMissingKey);
  CHECK(p.file.GetArray("x", &a).code() == StatusCode::kMissingKey);
}

TEST_CASE("GetF32 reads f32 and f64; GetBool and GetString read their types") {
  GgufBuilder b;
  b.AddF64("big", 1e300);
  b.AddF64("inf", std::numeric_limits<double>::infinity());
  b.AddBool("no", false);
  const Parsed q = Parse(b.Build());
  REQUIRE(q.status.ok());
  float f = 0;
  CHECK(q.file.GetF32("big", &f).code() == StatusCode::kBadHyperParameter);
  CHECK(q.file.GetF32("inf", &f).ok());
  CHECK(f == std::numeric_limits<float>::infinity());

  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE(p.status.ok());
  CHECK(p.file.GetF32("t.f32", &f).ok());
  CHECK(f == 1.5f);
  CHECK(p.file.GetF32("t.f64", &f).ok());
  CHECK(f == 0.25f);
  bool flag = false;
  CHECK(p.file.GetBool("t.bool", &flag).ok());
  CHECK(flag);
  CHECK(q.file.GetBool("no", &flag).ok());
  CHECK_FALSE(flag);
  GgufString s;
  CHECK(p.file.GetString("general.architecture", &s).ok());
  CHECK(Str(s) == "bert");
}

TEST_CASE("FindKey and FindTensor miss absent names, prefixes and extensions") {
  const Parsed p = Parse(RichBuilder().Build());
  REQUIRE(p.status.ok());
  GgufValue v;
  GgufTensor t;
  CHECK_FALSE(p.file.FindKey("missing", &v));
  CHECK_FALSE(p.file.FindKey("t.u", &v));
  CHECK_FALSE(p.file.FindKey("t.u88", &v));
  CHECK_FALSE(p.file.FindKey("", &v));
  CHECK_FALSE(p.file.FindTensor("q", &t));
  CHECK_FALSE(p.file.FindTensor("q88", &t));
  CHECK_FALSE(p.file.FindTensor("missing", &t));
}

TEST_CASE("An unparsed or failed file is empty") {
  GgufFile file;
  CHECK_FALSE(file.parsed());
  GgufValue v;
  CHECK_FALSE(file.FindKey("general.architecture", &v));
  GgufFile::TensorCursor tensors(file);
  GgufTensor t;
  CHECK_FALSE(tensors.Next(&t));

  const std::vector<uint8_t> good = SmallBuilder().Build();
  REQUIRE(file.Parse(good.data(), good.size()).ok());
  CHECK(file.parsed());
  CHECK_FALSE(file.Parse(good.data(), 100).ok());
  CHECK_FALSE(file.parsed());
  CHECK(file.key_count() == 0);
  CHECK_FALSE(file.FindKey("general.architecture", &v));
}

TEST_CASE("Files without tensors or keys; padding is optional without tensors") {
  const Parsed empty = Parse(GgufBuilder().Build());
  REQUIRE_MESSAGE(empty.status.ok(), empty.status.message());
  CHECK(empty.file.key_count() == 0);
  CHECK(empty.file.tensor_count() == 0);
  CHECK(empty.file.data_offset() == 24);  // the clamp: 32 would be past the end

  GgufBuilder b;
  b.AddString("general.architecture", "bert");
  const Parsed keys_only = Parse(b.Build());
  REQUIRE(keys_only.status.ok());
  CHECK(keys_only.file.data_offset() <= keys_only.file.size());
}

// ---- Malformed files: each class has its own status code. ----

TEST_CASE("Bad magic, short magic, versions other than 3") {
  std::vector<uint8_t> file = SmallBuilder().Build();
  file[3] = 'G';
  CHECK(CodeOf(file) == StatusCode::kBadMagic);
  CHECK(CodeOf({'G', 'x'}) == StatusCode::kBadMagic);
  CHECK(CodeOf({'G', 'G'}) == StatusCode::kTruncated);
  CHECK(CodeOf(std::vector<uint8_t>{}) == StatusCode::kTruncated);

  for (uint32_t version : {0u, 1u, 2u, 4u, 0x03000000u}) {
    INFO("version ", version);
    GgufBuilder b = SmallBuilder();
    b.version = version;
    CHECK(CodeOf(b) == StatusCode::kUnsupportedVersion);
  }
  GgufFile none;
  CHECK(none.Parse(nullptr, 10).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("Every truncation of a valid file fails cleanly; kTruncated inside each section") {
  GgufBuilder b = SmallBuilder();
  b.pad_after_last_tensor = false;
  GgufLayout layout;
  const std::vector<uint8_t> file = b.Build(&layout);
  REQUIRE(Parse(file).status.ok());
  for (size_t size = 0; size < file.size(); ++size) {
    const Status status = Parse(file, size).status;
    INFO("prefix of ", size, " bytes: ", std::string(status.message()));
    // kBadCount: the header's counts when the prefix could not hold that
    // many keys or tensor infos at all.
    CHECK((status.code() == StatusCode::kTruncated || status.code() == StatusCode::kBadCount));
  }

  const size_t key1 = layout.key_starts[1];  // "general.architecture" = "bert"
  const size_t key2 = layout.key_starts[2];  // "bert.block_count" = u32
  const size_t key3 = layout.key_starts[3];  // "t.array" = 3 x u32
  REQUIRE(key1 > 2 * 33);
  struct Cut {
    const char* where;
    size_t size;
    const char* message;
  };
  const Cut cuts[] = {
      {"header", 10, "GGUF header"},
      {"key name", key1 + 8 + 3, "key 1"},
      {"value type", key1 + 8 + 20 + 2, "key 'general.architecture'"},
      {"string value", key1 + 8 + 20 + 4 + 8 + 2, "key 'general.architecture'"},
      {"scalar value", key2 + 8 + 16 + 4 + 2, "key 'bert.block_count'"},
      {"array count", key3 + 8 + 7 + 4 + 4 + 3, "key 't.array'"},
      {"array elements", key3 + 8 + 7 + 4 + 4 + 8 + 5, "key 't.array'"},
      {"tensor info", layout.tensor_info_starts[1] + 8 + 1 + 4 + 3, "tensor 'b'"},
      {"padding", layout.tensor_infos_end + 1, "tensor 'a'"},
      {"first tensor data", layout.tensor_data[0] + 3, "tensor 'a'"},
      {"last tensor data", file.size() - 1, "tensor 'b'"},
  };
  REQUIRE(layout.tensor_infos_end + 1 < layout.data);
  for (const Cut& cut : cuts) {
    const Status status = Parse(file, cut.size).status;
    INFO("cut inside the ", std::string(cut.where), " at ", cut.size, ": ",
         std::string(status.message()));
    CHECK(status.code() == StatusCode::kTruncated);
    CHECK(std::string(status.message()).find(cut.message) != std::string::npos);
  }
}

TEST_CASE("Huge string lengths: kBadCount, not a long loop") {
  GgufLayout layout;
  const std::vector<uint8_t> good = SmallBuilder().Build(&layout);
  const size_t key0 = layout.key_starts[1];  // "general.architecture" = "bert"
  std::vector<uint8_t> file = good;
  PutU64At(&file, key0, kHuge);  // the key name
  CHECK(CodeOf(file) == StatusCode::kBadCount);
  file = good;
  PutU64At(&file, key0, ~uint64_t{0});
  CHECK(CodeOf(file) == StatusCode::kBadCount);
  file = good;
  PutU64At(&file, key0 + 8 + 20 + 4, kHuge);  // the string value
  CHECK(CodeOf(file) == StatusCode::kBadCount);
  file = good;
  PutU64At(&file, layout.tensor_info_starts[0], kHuge);  // a tensor name
  CHECK(CodeOf(file) == StatusCode::kBadCount);
  file = good;
  PutU64At(&file, key0 + 8 + 20 + 4, file.size() + 1);  // longer than the file, far below 2^63
  CHECK(CodeOf(file) == StatusCode::kBadCount);

  GgufBuilder b;
  ByteWriter strings;
  strings.Put(static_cast<uint32_t>(GgufValueType::kString)).Put<uint64_t>(2);
  strings.PutString("ok").Put(kHuge);  // the second element
  b.AddRaw("tokenizer.ggml.tokens", static_cast<uint32_t>(GgufValueType::kArray), strings.bytes());
  const std::string message = MessageOf(b);
  CHECK(CodeOf(b) == StatusCode::kBadCount);
  CHECK(message.find("tokenizer.ggml.tokens") != std::string::npos);
}

TEST_CASE("Huge key, tensor and array counts: kBadCount, not a long loop") {
  for (uint64_t count : {kHuge, ~uint64_t{0}, uint64_t{1} << 32, uint64_t{100000}}) {
    INFO("count ", count);
    GgufBuilder keys = SmallBuilder();
    keys.key_count = count;
    CHECK(CodeOf(keys) == StatusCode::kBadCount);
    GgufBuilder tensors = SmallBuilder();
    tensors.tensor_count = count;
    CHECK(CodeOf(tensors) == StatusCode::kBadCount);
    for (GgufValueType type : {GgufValueType::kU8, GgufValueType::kString, GgufValueType::kU64}) {
      GgufBuilder b;
      ByteWriter array;
      array.Put(static_cast<uint32_t>(type)).Put(count);
      b.AddRaw("t.array", static_cast<uint32_t>(GgufValueType::kArray), array.bytes());
      CHECK(CodeOf(b) == StatusCode::kBadCount);
    }
  }
  // A count the file could hold from its start but not from where it stands
  // means the file ends inside it.
  GgufBuilder b;
  ByteWriter array;
  array.Put(static_cast<uint32_t>(GgufValueType::kU8)).Put<uint64_t>(30).PutBytes("abcd", 4);
  b.AddRaw("t.array", static_cast<uint32_t>(GgufValueType::kArray), array.bytes());
  CHECK(CodeOf(b) == StatusCode::kTruncated);
  GgufBuilder more_keys = SmallBuilder();
  more_keys.key_count = 5;
  CHECK(CodeOf(more_keys) != StatusCode::kOk);
}

TEST_CASE("general.alignment: zero, not a power of two, or not u32 is kBadAlignment") {
  for (uint32_t alignment : {0u, 3u, 48u, 0x80000001u}) {
    INFO("alignment ", alignment);
    GgufBuilder b = SmallBuilder();
    b.AddU32("general.alignment", alignment);
    CHECK(CodeOf(b) == StatusCode::kBadAlignment);
  }
  GgufBuilder u64 = SmallBuilder();
  u64.AddU64("general.alignment", 32);
  CHECK(CodeOf(u64) == StatusCode::kBadAlignment);
  CHECK(MessageOf(u64).find("u64, expected u32") != std::string::npos);
  GgufBuilder i32 = SmallBuilder();
  i32.AddI32("general.alignment", 32);
  CHECK(CodeOf(i32) == StatusCode::kBadAlignment);
  GgufBuilder text = SmallBuilder();
  text.AddString("general.alignment", "32");
  CHECK(CodeOf(text) == StatusCode::kBadAlignment);
  GgufBuilder twice = SmallBuilder();
  twice.SetAlignment(32);
  twice.SetAlignment(32);
  CHECK(CodeOf(twice) == StatusCode::kDuplicateKey);
}

TEST_CASE("Unknown value types, arrays of arrays and bools other than 0/1: kBadValueType") {
  for (uint32_t type : {13u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    INFO("type ", type);
    GgufBuilder b = SmallBuilder();
    b.AddRaw("t.unknown", type, {1, 2, 3, 4});
    CHECK(CodeOf(b) == StatusCode::kBadValueType);
    GgufBuilder array = SmallBuilder();
    ByteWriter w;
    w.Put(type).Put<uint64_t>(1).Put<uint32_t>(0);
    array.AddRaw("t.unknown_array", static_cast<uint32_t>(GgufValueType::kArray), w.bytes());
    CHECK(CodeOf(array) == StatusCode::kBadValueType);
  }
  GgufBuilder nested = SmallBuilder();
  ByteWriter w;
  w.Put(static_cast<uint32_t>(GgufValueType::kArray)).Put<uint64_t>(1);
  w.Put(static_cast<uint32_t>(GgufValueType::kU8)).Put<uint64_t>(1).Put<uint8_t>(7);
  nested.AddRaw("t.nested", static_cast<uint32_t>(GgufValueType::kArray), w.bytes());
  CHECK(CodeOf(nested) == StatusCode::kBadValueType);
  CHECK(MessageOf(nested).find("array of arrays") != std::string::npos);
  GgufBuilder empty_nested = SmallBuilder();
  ByteWriter e;
  e.Put(static_cast<uint32_t>(GgufValueType::kArray)).Put<uint64_t>(0);
  empty_nested.AddRaw("t.nested", static_cast<uint32_t>(GgufValueType::kArray), e.bytes());
  CHECK(CodeOf(empty_nested) == StatusCode::kBadValueType);

  GgufBuilder bad_bool = SmallBuilder();
  bad_bool.AddRaw("t.bool", static_cast<uint32_t>(GgufValueType::kBool), {2});
  CHECK(CodeOf(bad_bool) == StatusCode::kBadValueType);
  GgufBuilder bad_bools = SmallBuilder();
  ByteWriter bools;
  bools.Put(static_cast<uint32_t>(GgufValueType::kBool)).Put<uint64_t>(3).PutBytes("\1\0\xff", 3);
  bad_bools.AddRaw("t.bools", static_cast<uint32_t>(GgufValueType::kArray), bools.bytes());
  CHECK(CodeOf(bad_bools) == StatusCode::kBadValueType);
  CHECK(MessageOf(bad_bools).find("element 2") != std::string::npos);
}

TEST_CASE("Duplicate keys are kDuplicateKey; an empty key name is kBadCount") {
  GgufBuilder b = SmallBuilder();
  b.AddU32("bert.block_count", 3);
  CHECK(CodeOf(b) == StatusCode::kDuplicateKey);
  CHECK(MessageOf(b).find("key 'bert.block_count': appears again (first as key 2)") !=
        std::string::npos);
  // Same name, other type.
  GgufBuilder typed = SmallBuilder();
  typed.AddString("t.array", "x");
  CHECK(CodeOf(typed) == StatusCode::kDuplicateKey);

  GgufBuilder empty = SmallBuilder();
  empty.AddU32("", 1);
  CHECK(CodeOf(empty) == StatusCode::kBadCount);
  CHECK(MessageOf(empty).find("key 4: empty name") != std::string::npos);
}

TEST_CASE("Tensor names: duplicates kDuplicateTensor; empty or over 63 bytes kBadTensorInfo") {
  GgufBuilder b = SmallBuilder();
  b.AddTensor("a", {4}, WeightType::kF32);
  CHECK(CodeOf(b) == StatusCode::kDuplicateTensor);
  CHECK(MessageOf(b).find("tensor 'a': appears again (first as tensor 0)") != std::string::npos);

  GgufBuilder longest = SmallBuilder();
  longest.AddTensor(std::string(63, 'n'), {4}, WeightType::kF32);
  CHECK(CodeOf(longest) == StatusCode::kOk);
  GgufBuilder too_long = SmallBuilder();
  too_long.AddTensor(std::string(64, 'n'), {4}, WeightType::kF32);
  CHECK(CodeOf(too_long) == StatusCode::kBadTensorInfo);
  GgufBuilder empty = SmallBuilder();
  empty.AddTensor("", {4}, WeightType::kF32);
  CHECK(CodeOf(empty) == StatusCode::kBadTensorInfo);
}

TEST_CASE("Tensor dimensions: n_dims 0 or 5, ne < 1, overflowing products are kBadTensorInfo") {
  const std::vector<std::vector<int64_t>> bad_shapes = {
      {},
      {1, 1, 1, 1, 1},
      {0},
      {4, 0},
      {4, 1, 1, -1},
      {std::numeric_limits<int64_t>::min()},
      {int64_t{1} << 32, int64_t{1} << 31},          // 2^63 elements: past int64
      {std::numeric_limits<int64_t>::max(), 2},
      {int64_t{1} << 62},                            // fits int64, but 2^64 bytes of F32
  };
  for (const std::vector<int64_t>& ne : bad_shapes) {
    INFO("n_dims ", ne.size(), " ne[0] ", ne.empty() ? 0 : ne[0]);
    GgufBuilder b;
    b.AddTensor("t", ne, WeightType::kF32, {});
    CHECK(CodeOf(b) == StatusCode::kBadTensorInfo);
  }
  // The largest valid shape passes its info checks and then fails on data.
  GgufBuilder big;
  big.AddTensor("t", {int64_t{1} << 20, int64_t{1} << 20}, WeightType::kF16, {});
  CHECK(CodeOf(big) == StatusCode::kTruncated);
}

TEST_CASE("ne[0] not a multiple of the block: kBadTensorInfo; unknown type: kUnsupportedType") {
  for (WeightType type : {WeightType::kQ8_0, WeightType::kQ4_0}) {
    for (int64_t ne0 : {1, 16, 48, 33}) {
      INFO(WeightTypeName(type), " ne[0] ", ne0);
      GgufBuilder b;
      b.AddTensor("t", {ne0, 2}, type, std::vector<uint8_t>(1024));
      CHECK(CodeOf(b) == StatusCode::kBadTensorInfo);
    }
  }
  for (uint32_t type : {3u, 6u, 7u, 9u, 30u, 0xFFFFFFFFu}) {
    INFO("ggml type ", type);
    GgufBuilder b;
    b.AddTensor("t", {32}, WeightType::kQ8_0).type = type;
    CHECK(CodeOf(b) == StatusCode::kUnsupportedType);
  }
}

TEST_CASE("Tensor offsets must be llama.cpp's running aligned sum: kBadTensorOffset") {
  GgufBuilder misaligned = SmallBuilder();
  misaligned.AddTensor("c", {4}, WeightType::kF32).offset = 36;
  CHECK(CodeOf(misaligned) == StatusCode::kBadTensorOffset);
  CHECK(MessageOf(misaligned).find("not a multiple of the alignment 32") != std::string::npos);

  GgufBuilder skipped = SmallBuilder();  // "b" would be at 32
  skipped.AddTensor("c", {4}, WeightType::kF32).offset = 96;
  CHECK(CodeOf(skipped) == StatusCode::kBadTensorOffset);
  CHECK(MessageOf(skipped).find("tensor 'c': offset 96, expected 64") != std::string::npos);

  GgufBuilder first_not_zero;
  first_not_zero.AddTensor("a", {4}, WeightType::kF32).offset = 32;
  CHECK(CodeOf(first_not_zero) == StatusCode::kBadTensorOffset);

  for (uint64_t offset : {uint64_t{1} << 40, kHuge, ~uint64_t{0} - 31}) {
    INFO("offset ", offset);
    GgufBuilder past_end = SmallBuilder();
    past_end.AddTensor("c", {4}, WeightType::kF32).offset = offset;
    CHECK(CodeOf(past_end) == StatusCode::kBadTensorOffset);
  }

  // Offsets that are each valid for some tensor, but in the other order.
  GgufBuilder swapped;
  swapped.AddTensor("a", {8}, WeightType::kF32).offset = 32;
  swapped.AddTensor("b", {8}, WeightType::kF32).offset = 0;
  CHECK(CodeOf(swapped) == StatusCode::kBadTensorOffset);

  // The offsets of a 64-aligned layout in a file that declares 32.
  GgufBuilder wide;
  wide.AddTensor("a", {4}, WeightType::kF32);
  wide.AddTensor("b", {4}, WeightType::kF32).offset = 64;
  CHECK(CodeOf(wide) == StatusCode::kBadTensorOffset);
}

TEST_CASE("Tensor data past the end of the file: kTruncated naming the tensor") {
  GgufBuilder unpadded = SmallBuilder();
  unpadded.pad_after_last_tensor = false;
  std::vector<uint8_t> file = unpadded.Build();
  file.pop_back();
  const Status status = Parse(file).status;
  CHECK(status.code() == StatusCode::kTruncated);
  CHECK(std::string(status.message()).find("tensor 'b'") != std::string::npos);

  // An info whose shape claims more data than the file has.
  GgufBuilder b = SmallBuilder();
  b.AddTensor("c", {1000}, WeightType::kF32, {1, 2, 3});
  CHECK(CodeOf(b) == StatusCode::kTruncated);
}

// ---- Mutations: never crash, and a file that parses is safe to walk. ----

// Touches every byte a parsed file hands out, and every getter, so that ASan
// sees any view that strays outside the span. Returns a checksum.
uint64_t WalkEverything(const GgufFile& file, const std::vector<uint8_t>& span) {
  const uint8_t* begin = span.data();
  const uint8_t* end = begin + span.size();
  uint64_t sum = 0;
  const auto touch = [&](const void* data, uint64_t size) {
    const uint8_t* bytes = static_cast<const uint8_t*>(data);
    REQUIRE((size == 0 || (bytes >= begin && bytes <= end && size <= uint64_t(end - bytes))));
    for (uint64_t i = 0; i < size; ++i) sum += bytes[i];
  };
  GgufFile::KeyCursor keys(file);
  uint64_t key_count = 0;
  for (GgufValue v; keys.Next(&v); ++key_count) {
    touch(v.key.data, v.key.size);
    if (v.type == GgufValueType::kString) {
      touch(v.string.data, v.string.size);
    } else if (v.type == GgufValueType::kArray) {
      if (v.array.type == GgufValueType::kString) {
        GgufStringCursor strings(v.array);
        uint64_t count = 0;
        for (GgufString s; strings.Next(&s); ++count) touch(s.data, s.size);
        CHECK(count == v.array.count);
      } else {
        touch(v.array.data, v.array.count * GgufMinValueBytes(static_cast<uint32_t>(v.array.type)));
      }
    } else {
      touch(v.scalar, GgufMinValueBytes(static_cast<uint32_t>(v.type)));
    }
    const std::string key = Str(v.key);
    if (key.find('\0') != std::string::npos) continue;
    uint32_t u;
    int32_t i;
    float f;
    bool flag;
    GgufString s;
    GgufArray a;
    sum += static_cast<uint64_t>(file.GetU32(key.c_str(), &u).code());
    sum += static_cast<uint64_t>(file.GetI32(key.c_str(), &i).code());
    sum += static_cast<uint64_t>(file.GetF32(key.c_str(), &f).code());
    sum += static_cast<uint64_t>(file.GetBool(key.c_str(), &flag).code());
    sum += static_cast<uint64_t>(file.GetString(key.c_str(), &s).code());
    sum += static_cast<uint64_t>(file.GetArray(key.c_str(), &a).code());
  }
  CHECK(key_count == file.key_count());
  GgufFile::TensorCursor tensors(file);
  uint64_t tensor_count = 0;
  for (GgufTensor t; tensors.Next(&t); ++tensor_count) {
    touch(t.name.data, t.name.size);
    touch(t.data, t.bytes);
    CHECK(t.bytes > 0);
    CHECK((t.data - begin) % file.alignment() == file.data_offset() % file.alignment());
    GgufTensor found;
    CHECK(file.FindTensor(Str(t.name).c_str(), &found) == (t.name.size == std::strlen(Str(t.name).c_str())));
  }
  CHECK(tensor_count == file.tensor_count());
  return sum;
}

TEST_CASE("Mutated and truncated files never crash; those that parse walk safely") {
  GgufBuilder b = RichBuilder();
  b.SetAlignment(16);
  const std::vector<uint8_t> good = b.Build();
  REQUIRE(Parse(good).status.ok());
  std::mt19937 rng(20240601);
  const auto below = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  // Values that hit boundaries: zero and all-ones counts, sign bits, the
  // value-type and ggml-type ranges' edges.
  const uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x07, 0x08, 0x09, 0x0c, 0x0d,
                                  0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0xfe, 0xff};

  int parsed_ok = 0, failed = 0;
  uint64_t checksum = 0;
  for (int round = 0; round < 6000; ++round) {
    std::vector<uint8_t> mutant = good;
    const size_t edits = 1 + below(4);
    for (size_t e = 0; e < edits; ++e) {
      const size_t at = below(mutant.size());
      switch (below(4)) {
        case 0:
          mutant[at] ^= static_cast<uint8_t>(1u << below(8));
          break;
        case 1:
          mutant[at] = static_cast<uint8_t>(rng());
          break;
        case 2:
          mutant[at] = kInteresting[below(sizeof(kInteresting))];
          break;
        default:  // an 8-byte field overwritten with a small or huge value
          for (size_t i = 0; i < 8 && at + i < mutant.size(); ++i) {
            mutant[at + i] = i == 0 ? static_cast<uint8_t>(rng()) : (below(2) ? 0x00 : 0xff);
          }
      }
    }
    const size_t size = below(5) == 0 ? below(mutant.size() + 1) : mutant.size();
    const Parsed p = Parse(mutant, size);
    if (p.status.ok()) {
      ++parsed_ok;
      checksum += WalkEverything(p.file, p.bytes);
    } else {
      ++failed;
      CHECK_FALSE(p.file.parsed());
      CHECK(p.status.message()[0] != '\0');
    }
  }
  MESSAGE(parsed_ok, " mutants parsed, ", failed, " rejected, checksum ", checksum);
  CHECK(parsed_ok > 100);  // the walk is exercised
  CHECK(failed > 1000);
}

TEST_CASE("Key and tensor counts above the caps are refused before any walk") {
  for (const bool keys : {true, false}) {
    GgufBuilder b = SmallBuilder();
    b.AddTensor("big", {64 * 1024}, WeightType::kF32);  // room for the claimed entries
    if (keys) {
      b.key_count = kGgufMaxKeys + 1;
    } else {
      b.tensor_count = kGgufMaxTensors + 1;
    }
    const Status status = Parse(b.Build()).status;
    CHECK(status.code() == StatusCode::kBadCount);
    CHECK(std::string(status.message()).find("at most") != std::string::npos);
  }
}

}  // namespace
}  // namespace tinyenc
