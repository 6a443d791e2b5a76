// libFuzzer harness: the GGUF reader on arbitrary bytes, then every key and
// tensor walked and every typed getter tried, as loading does.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/core/gguf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tinyenc::GgufFile file;
  if (!file.Parse(data, size).ok()) return 0;
  tinyenc::GgufFile::KeyCursor keys(file);
  tinyenc::GgufValue value;
  while (keys.Next(&value)) {
    // Keys are not NUL-terminated in the file; the getters take C strings.
    std::vector<char> name(value.key.data, value.key.data + value.key.size);
    name.push_back('\0');
    uint32_t u32;
    int32_t i32;
    float f32;
    bool b;
    tinyenc::GgufString string;
    tinyenc::GgufArray array;
    file.GetU32(name.data(), &u32);
    file.GetI32(name.data(), &i32);
    file.GetF32(name.data(), &f32);
    file.GetBool(name.data(), &b);
    file.GetString(name.data(), &string);
    if (file.GetArray(name.data(), &array).ok()) {
      tinyenc::GgufStringCursor strings(array);
      while (strings.Next(&string)) {
      }
    }
  }
  tinyenc::GgufFile::TensorCursor tensors(file);
  tinyenc::GgufTensor tensor;
  while (tensors.Next(&tensor)) {
    if (tensor.bytes > 0) {
      volatile uint8_t last = tensor.data[tensor.bytes - 1];  // inside the span
      (void)last;
    }
  }
  return 0;
}
