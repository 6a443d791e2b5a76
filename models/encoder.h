// The encoder's schedule: its arena plan, input checks and forward pass.
// One forward pass serves every variant the hyper-parameters describe
// (docs/FORMAT.md); the SIMD target is chosen once, at the top of RunEncoder.
#ifndef TINYENC_MODELS_ENCODER_H_
#define TINYENC_MODELS_ENCODER_H_

#include <cstddef>
#include <cstdint>

#include "models/encoder_weights.h"
#include "tinyenc/session.h"
#include "tinyenc/status.h"

namespace tinyenc {

// Buffers of the arena plan. Layers run one after another and reuse the
// same buffers, each sized for the widest layer.
enum EncoderBuffer : int {
  kHiddenBuffer,      // hidden states of all sequences, packed; the output
  kAttentionInput,    // pre-LN: the normalized layer input
  kQkvBuffer,         // Q, K and V, each total_rows x width
  kContextBuffer,     // attention output
  kProjectedBuffer,   // attention output projected
  kResidualBuffer,    // widening layers: the projected residual
  kFfnInput,          // pre-LN: the normalized FFN input
  kFfnBuffer,         // FFN hidden layer
  kFfnOutputBuffer,
  kScratchBuffer,     // kernel scratch (quantized activations, attention scores)
  kPooledBuffer,
  kPoolerBuffer,
  kLogitsBuffer,
  kRowTableBuffer,    // SequenceRows per sequence
  kEncoderBufferCount
};

struct SequenceRows {
  uint32_t offset;  // first row in the packed hidden states
  uint32_t rows;
};

struct EncoderPlan {
  size_t max_rows = 0;   // rows per sequence
  size_t max_batch = 0;  // sequences
  size_t offset[kEncoderBufferCount] = {};
  size_t bytes[kEncoderBufferCount] = {};
  size_t arena_bytes = 0;      // the plan's extent, from an aligned base
  size_t unplanned_bytes = 0;  // every intermediate tensor in a buffer of its own
};

// Arena bytes callers must provide: the plan plus slack to align its base.
size_t ArenaBytesFor(const EncoderPlan& plan);

Status PlanEncoder(const EncoderConfig& config, const EncoderWeights& weights, size_t max_rows,
                   size_t max_batch, EncoderPlan* plan);

// Rows sequence `input` occupies (a class token adds one).
size_t SequenceRowCount(const EncoderConfig& config, const SequenceInput& input);

// Checks a batch against the model and plan; nothing is touched.
Status CheckEncodeInputs(const EncoderConfig& config, const EncoderPlan& plan,
                         const SequenceInput* inputs, size_t batch);

struct EncodeRequest {
  const SequenceInput* inputs;
  size_t batch;
  Pooling pooling;
  bool normalize;
};

// Runs a checked batch. `arena` is aligned to kArenaAlign and holds
// plan.arena_bytes.
void RunEncoder(const EncoderConfig& config, const EncoderWeights& weights,
                const EncoderPlan& plan, uint8_t* arena, const EncodeRequest& request);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_ENCODER_H_
