// The encoder's entry points: loading is in encoder_weights.cc, the plan in
// encoder_plan.cc; here the input checks and the per-target dispatch of the
// forward pass in encoder-inl.h.
#include "models/encoder.h"

#include <cinttypes>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "models/encoder.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "models/encoder-inl.h"

#if HWY_ONCE
namespace tinyenc {
namespace {

size_t SequenceRowCount(const EncoderConfig& config, const SequenceInput& input) {
  return input.length + (config.class_token ? 1 : 0);
}

// Checks a batch against the model and plan; nothing is touched.
Status CheckEncodeInputs(const EncoderConfig& config, const EncoderPlan& plan,
                         const SequenceInput* inputs, size_t batch) {
  if (batch == 0 || inputs == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "encode: no sequences");
  }
  if (batch > plan.max_batch) {
    return Status::Error(StatusCode::kBatchTooLarge,
                         "encode: %lu sequences, the session was planned for %lu",
                         static_cast<unsigned long>(batch),
                         static_cast<unsigned long>(plan.max_batch));
  }
  for (size_t b = 0; b < batch; ++b) {
    const SequenceInput& input = inputs[b];
    const size_t rows = SequenceRowCount(config, input);
    if (input.length == 0 || input.length > plan.max_rows || rows > plan.max_rows) {
      return Status::Error(StatusCode::kBadSequenceLength,
                           "sequence %lu: %lu rows; the session takes 1 to %lu (context %" PRIu32
                           ")",
                           static_cast<unsigned long>(b), static_cast<unsigned long>(rows),
                           static_cast<unsigned long>(plan.max_rows), config.context_length);
    }
    if (config.input == InputType::kFeatures) {
      if (input.features == nullptr) {
        return Status::Error(StatusCode::kInvalidArgument, "sequence %lu: features are null",
                             static_cast<unsigned long>(b));
      }
      continue;
    }
    if (input.token_ids == nullptr) {
      return Status::Error(StatusCode::kInvalidArgument, "sequence %lu: token ids are null",
                           static_cast<unsigned long>(b));
    }
    for (size_t t = 0; t < input.length; ++t) {
      const int32_t id = input.token_ids[t];
      if (id < 0 || static_cast<uint32_t>(id) >= config.vocab_size) {
        return Status::Error(
            StatusCode::kTokenOutOfRange,
            "sequence %lu, token %lu: id %" PRId32 " is outside the vocabulary of %" PRIu32,
            static_cast<unsigned long>(b), static_cast<unsigned long>(t), id, config.vocab_size);
      }
      const int32_t type = input.type_ids == nullptr ? 0 : input.type_ids[t];
      const uint32_t types = config.token_type_count == 0 ? 1 : config.token_type_count;
      if (type < 0 || static_cast<uint32_t>(type) >= types) {
        return Status::Error(StatusCode::kTokenOutOfRange,
                             "sequence %lu, token %lu: type id %" PRId32 "; the model has %" PRIu32
                             " type%s",
                             static_cast<unsigned long>(b), static_cast<unsigned long>(t), type,
                             types, types == 1 ? "" : "s");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

HWY_EXPORT(RunEncoder);

void RunEncoder(const EncoderModel& model, const EncoderPlan& plan, uint8_t* arena,
                const EncodeRequest& request, TaskRunner* runner) {
  HWY_DYNAMIC_DISPATCH(RunEncoder)(model, plan, arena, request, runner);
}

Status Encode(const EncoderModel& model, const EncoderPlan& plan, uint8_t* arena,
              const EncodeRequest& request, EncoderOutputs* outputs) {
  const EncoderConfig& config = model.config;
  Status status = CheckEncodeInputs(config, plan, request.inputs, request.batch);
  if (!status.ok()) return status;
  auto* sequences = reinterpret_cast<SequenceRows*>(arena + plan.offset[kRowTableBuffer]);
  uint32_t offset = 0;
  for (size_t b = 0; b < request.batch; ++b) {
    sequences[b].offset = offset;
    sequences[b].rows = static_cast<uint32_t>(SequenceRowCount(config, request.inputs[b]));
    offset += sequences[b].rows;
  }
  TaskRunner runner(request.pool);
  RunEncoder(model, plan, arena, request, &runner);
  if (runner.broken()) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "encode: the pool skipped, repeated or invented a task index (each of "
                         "[0, N) must run once); the outputs are undefined");
  }
  auto buffer = [&](EncoderBuffer id) {
    return reinterpret_cast<const float*>(arena + plan.offset[id]);
  };
  const bool pooled = request.pooling != Pooling::kNone;
  *outputs = EncoderOutputs();
  outputs->batch = request.batch;
  outputs->sequences = sequences;
  outputs->hidden = buffer(kHiddenBuffer);
  outputs->embeddings = pooled ? buffer(EmbeddingBuffer(config)) : nullptr;
  outputs->logits_per_token = config.classifier_input == ClassifierInput::kTokens;
  const bool has_logits = config.label_count != 0 && (pooled || outputs->logits_per_token);
  outputs->logits = has_logits ? buffer(kLogitsBuffer) : nullptr;
  return Status::Ok();
}

}  // namespace tinyenc
#endif  // HWY_ONCE
