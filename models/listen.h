// Keyword models: one window of PCM through the audio front end into the
// encoder, the features of a stream's earlier windows reused.
#ifndef TINYENC_MODELS_LISTEN_H_
#define TINYENC_MODELS_LISTEN_H_

#include <cstddef>

#include "models/encoder.h"

namespace tinyenc {

struct ListenRequest {
  Pcm pcm;             // the window: audio.config.clip_samples samples
  size_t samples = 0;  // what the caller passed, checked against the window
  // Samples the window moved since the last window whose features are in
  // the arena (reuse_frames); a multiple of the stride. 0, or no reuse:
  // every frame is computed.
  size_t advance = 0;
  bool reuse_frames = false;
  Pooling pooling = Pooling::kNone;
  bool normalize = false;
  const TaskPool* pool = nullptr;
};

// Checks the model, the plan and the request (nothing is touched on
// failure), computes the window's new frames into the plan's features
// buffer, then encodes them as one sequence.
Status Listen(const EncoderModel& model, const EncoderPlan& plan, uint8_t* arena,
              const ListenRequest& request, EncoderOutputs* outputs);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_LISTEN_H_
