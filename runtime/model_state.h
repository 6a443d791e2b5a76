// What a Model and a Session hold, behind the fixed-size storage of their
// public classes (so both live in static memory without a heap).
#ifndef TINYENC_RUNTIME_MODEL_STATE_H_
#define TINYENC_RUNTIME_MODEL_STATE_H_

#include <cstdint>
#include <new>

#include "models/encoder.h"
#include "models/encoder_weights.h"
#include "runtime/gguf.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"

namespace tinyenc {

struct ModelState {
  GgufFile file;
  EncoderConfig config;
  EncoderWeights weights;
  bool loaded = false;
};

struct SessionState {
  const ModelState* model = nullptr;
  uint8_t* arena = nullptr;  // aligned to kArenaAlign
  EncoderPlan plan;
  Pooling pooling = Pooling::kNone;
  bool normalize = false;
  size_t batch = 0;
};

struct ModelAccess {
  static ModelState& State(Model& model) {
    return *std::launder(reinterpret_cast<ModelState*>(model.state_));
  }
  static const ModelState& State(const Model& model) {
    return *std::launder(reinterpret_cast<const ModelState*>(model.state_));
  }
};

struct SessionAccess {
  static SessionState& State(Session& session) {
    return *std::launder(reinterpret_cast<SessionState*>(session.state_));
  }
  static const SessionState& State(const Session& session) {
    return *std::launder(reinterpret_cast<const SessionState*>(session.state_));
  }
};

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_MODEL_STATE_H_
