#include <new>

#include "runtime/model_state.h"
#include "tinyenc/model.h"

namespace tinyenc {

static_assert(sizeof(ModelState) <= kModelBytes, "kModelBytes must hold a ModelState");
static_assert(alignof(ModelState) <= 8, "Model storage is 8-byte aligned");

Model::Model() { new (state_) ModelState(); }

Status Model::Load(const void* bytes, size_t size) {
  ModelState& state = ModelAccess::State(*this);
  state = ModelState();
  if (bytes == nullptr || reinterpret_cast<uintptr_t>(bytes) % 4 != 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "model bytes are %s; they must be 4-byte aligned",
                         bytes == nullptr ? "null" : "misaligned");
  }
  Status status = state.file.Parse(bytes, size);
  if (status.ok()) status = LoadEncoder(state.file, &state.encoder);
  if (!status.ok()) {
    state = ModelState();
    return status;
  }
  state.loaded = true;
  return status;
}

bool Model::loaded() const { return ModelAccess::State(*this).loaded; }

const EncoderConfig& Model::config() const { return ModelAccess::State(*this).encoder.config; }

}  // namespace tinyenc
