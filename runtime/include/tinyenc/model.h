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

#include "tinyenc/model_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

// The weight file's structure, as Load parsed it.
struct ModelFileInfo {
  size_t bytes = 0;
  uint32_t gguf_version = 0;
  uint32_t alignment = 0;
  uint64_t key_count = 0;
  uint64_t tensor_count = 0;
};

// One tensor of the file; `name` points into the file (not NUL-terminated).
struct TensorInfo {
  const char* name = nullptr;
  size_t name_size = 0;
  const char* type = nullptr;  // "F32", "Q8_0", ...
  uint32_t dims = 0;
  uint64_t shape[4] = {};  // ggml order: shape[0] is the row length
  uint64_t bytes = 0;
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
  // A keyword model's audio input (docs/FORMAT.md, audio keys); all zero
  // when the model has none.
  const AudioConfig& audio() const;
  // The name of label `index` of a keyword model (*name points into the
  // file, *size bytes, not NUL-terminated); false when out of range.
  bool Label(size_t index, const char** name, size_t* size) const;
  ModelFileInfo file_info() const;
  // Calls visit(tensor, context) for every tensor, in file order; nothing
  // when the model is not loaded.
  void ForEachTensor(void (*visit)(const TensorInfo& tensor, void* context),
                     void* context) const;

 private:
  friend struct ModelAccess;
  alignas(8) unsigned char state_[kModelBytes];
};

}  // namespace tinyenc

#endif  // TINYENC_MODEL_H_
