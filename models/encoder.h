// An encoder as the model layer runs it: load (hyper-parameters and weights
// bound in place), plan an arena, check and run a batch. One forward pass
// serves every variant the hyper-parameters describe (docs/FORMAT.md); the
// SIMD target is chosen once, at the top of Encode.
#ifndef TINYENC_MODELS_ENCODER_H_
#define TINYENC_MODELS_ENCODER_H_

#include <cstddef>
#include <cstdint>

#include "models/audio_model.h"
#include "models/encoder_schedule.h"
#include "models/encoder_weights.h"
#include "models/task_runner.h"
#include "runtime/core/gguf.h"
#include "tinyenc/model_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

struct EncoderModel {
  EncoderConfig config;
  EncoderWeights weights;
  AudioModel audio;  // audio.config.sample_rate == 0: no audio front end
};

// Reads the hyper-parameters and binds every tensor they imply.
Status LoadEncoder(const GgufFile& file, EncoderModel* model);

struct SequenceRows {
  uint32_t offset;  // first row in the packed hidden states
  uint32_t rows;
};

struct EncoderPlan {
  size_t max_rows = 0;   // rows per sequence
  size_t max_batch = 0;  // sequences
  // Rows per tile of the tiled schedule (ScheduleOptions::tiled); 0: every
  // step over all rows at once.
  size_t tile_rows = 0;
  size_t offset[kEncoderBufferCount] = {};
  size_t bytes[kEncoderBufferCount] = {};
  // Keyword models: the window's features (frame_count x feature_length,
  // kept between Listen calls for a stream) after the encoder's buffers, and
  // the front end's scratch over them; 0 bytes without an audio front end.
  size_t features_offset = 0;
  size_t features_bytes = 0;
  size_t front_end_offset = 0;
  size_t front_end_bytes = 0;
  size_t arena_bytes = 0;      // the plan's extent, from an aligned base
  size_t unplanned_bytes = 0;  // every tensor the schedule writes in a buffer of its own
};

// Arena bytes callers must provide: the plan plus slack to align its base.
size_t ArenaBytesFor(const EncoderPlan& plan);

// Sizes every buffer for the largest step writing it and places them so that
// buffers alive at the same step of the schedule never overlap. tile_rows 0,
// or at least max_rows * max_batch: the whole-sequence schedule; otherwise
// the tiled one, its tile buffers sized for tile_rows rows.
Status PlanEncoder(const EncoderModel& model, size_t max_rows, size_t max_batch,
                   size_t tile_rows, EncoderPlan* plan);

struct EncodeRequest {
  const SequenceInput* inputs;
  size_t batch;
  Pooling pooling;
  bool normalize;
  const TaskPool* pool;  // null: every step on the calling thread
};

// What an Encode produced, inside the arena; valid until the next Encode.
struct EncoderOutputs {
  size_t batch = 0;
  const SequenceRows* sequences = nullptr;  // batch entries
  const float* hidden = nullptr;      // every sequence's rows, packed, hidden_width each
  const float* embeddings = nullptr;  // batch x hidden_width; null without pooling
  // Sequence classifiers: batch x label_count, null without pooling. Token
  // classifiers: a row of label_count per hidden row, packed as `hidden`.
  // Null without a classifier.
  const float* logits = nullptr;
  bool logits_per_token = false;
};

// Checks every input against the model and the plan (nothing is touched on
// failure), then runs the batch in `arena` (aligned to kArenaAlign, holding
// plan.arena_bytes) and describes the outputs.
Status Encode(const EncoderModel& model, const EncoderPlan& plan, uint8_t* arena,
              const EncodeRequest& request, EncoderOutputs* outputs);

// For encoder.cc and encoder-inl.h: the checked, row-table-filled batch run
// on the current SIMD target, its steps split into the runner's tasks.
void RunEncoder(const EncoderModel& model, const EncoderPlan& plan, uint8_t* arena,
                const EncodeRequest& request, TaskRunner* runner);

// Debug builds with -Dpoison_arena=true: fills with NaN every arena byte
// that no buffer alive after step `step` of the schedule occupies (the
// buffers alive before step 0 when `step` is -1), so a read outside a
// planned lifetime shows in the outputs.
void PoisonDeadBuffers(const EncoderModel& model, const EncoderPlan& plan,
                       const ScheduleOptions& options, int step, uint8_t* arena);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_ENCODER_H_
