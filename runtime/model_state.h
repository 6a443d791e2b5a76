// What a Model, a Session and a Tokenizer hold, behind the fixed-size storage
// of their public classes (so they live in static memory without a heap).
#ifndef TINYENC_RUNTIME_MODEL_STATE_H_
#define TINYENC_RUNTIME_MODEL_STATE_H_

#include <cstdint>
#include <new>

#include "models/encoder.h"
#include "models/listen.h"
#include "models/tokenizer/tokenizer_state.h"
#include "runtime/core/gguf.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"
#include "tinyenc/tokenizer.h"

namespace tinyenc {

struct ModelState {
  GgufFile file;
  EncoderModel encoder;
  bool loaded = false;
  // Set by every Load call from a process-wide counter, so a Session can tell
  // that the model it was bound to was loaded again under it (Session::Encode
  // then fails), even by the C API's load, which constructs a new Model in
  // place.
  uint32_t generation = 0;
};

struct SessionState {
  const ModelState* model = nullptr;
  uint32_t model_generation = 0;  // the model's generation at Init
  // Output shapes at Init: the accessors must not read a re-loaded model's.
  uint32_t hidden_width = 0;
  uint32_t label_count = 0;
  uint8_t* arena = nullptr;  // aligned to kArenaAlign; the owner tag, then the plan's buffers
  EncoderPlan plan;
  Pooling pooling = Pooling::kNone;
  bool normalize = false;
  TaskPool pool = {};  // a copy of the caller's; run == nullptr: no pool
  EncoderOutputs outputs;  // of the last Encode
  bool listened = false;   // the arena holds the features of the last Listen's window
};

// Each public class befriends its accessor, which finds the state inside the
// class's storage.
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

struct TokenizerAccess {
  static TokenizerState& State(Tokenizer& tokenizer) {
    return *std::launder(reinterpret_cast<TokenizerState*>(tokenizer.state_));
  }
  static const TokenizerState& State(const Tokenizer& tokenizer) {
    return *std::launder(reinterpret_cast<const TokenizerState*>(tokenizer.state_));
  }
};

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_MODEL_STATE_H_
