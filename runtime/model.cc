#include <atomic>
#include <new>

#include "runtime/model_state.h"
#include "tinyenc/model.h"

namespace tinyenc {

static_assert(sizeof(ModelState) <= kModelBytes, "kModelBytes must hold a ModelState");
static_assert(alignof(ModelState) <= 8, "Model storage is 8-byte aligned");

Model::Model() { new (state_) ModelState(); }

Status Model::Load(const void* bytes, size_t size) {
  ModelState& state = ModelAccess::State(*this);
  static std::atomic<uint32_t> loads{0};
  const uint32_t generation = loads.fetch_add(1, std::memory_order_relaxed) + 1;
  state = ModelState();
  state.generation = generation;
  if (bytes == nullptr || reinterpret_cast<uintptr_t>(bytes) % 4 != 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "model bytes are %s; they must be 4-byte aligned",
                         bytes == nullptr ? "null" : "misaligned");
  }
  Status status = state.file.Parse(bytes, size);
  if (status.ok()) status = LoadEncoder(state.file, &state.encoder);
  if (!status.ok()) {
    state = ModelState();
    state.generation = generation;
    return status;
  }
  state.loaded = true;
  return status;
}

bool Model::loaded() const { return ModelAccess::State(*this).loaded; }

const EncoderConfig& Model::config() const { return ModelAccess::State(*this).encoder.config; }

const AudioConfig& Model::audio() const { return ModelAccess::State(*this).encoder.audio.config; }

bool Model::Label(size_t index, const char** name, size_t* size) const {
  GgufString label;
  if (name == nullptr || size == nullptr ||
      !AudioLabel(ModelAccess::State(*this).encoder.audio, index, &label)) {
    return false;
  }
  *name = label.data;
  *size = label.size;
  return true;
}

ModelFileInfo Model::file_info() const {
  const ModelState& state = ModelAccess::State(*this);
  ModelFileInfo info;
  if (!state.loaded) return info;
  info.bytes = state.file.size();
  info.gguf_version = state.file.version();
  info.alignment = state.file.alignment();
  info.key_count = state.file.key_count();
  info.tensor_count = state.file.tensor_count();
  return info;
}

void Model::ForEachTensor(void (*visit)(const TensorInfo& tensor, void* context),
                          void* context) const {
  const ModelState& state = ModelAccess::State(*this);
  if (!state.loaded) return;
  GgufFile::TensorCursor cursor(state.file);
  GgufTensor tensor;
  while (cursor.Next(&tensor)) {
    TensorInfo info;
    info.name = tensor.name.data;
    info.name_size = tensor.name.size;
    info.type = WeightTypeName(tensor.type);
    info.dims = tensor.n_dims;
    for (uint32_t d = 0; d < tensor.n_dims && d < 4; ++d) info.shape[d] = tensor.ne[d];
    info.bytes = tensor.bytes;
    visit(info, context);
  }
}

}  // namespace tinyenc
