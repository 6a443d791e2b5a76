#include "models/listen.h"

#include <cinttypes>
#include <cmath>
#include <cstring>

namespace tinyenc {
namespace {

Status CheckListen(const EncoderModel& model, const EncoderPlan& plan,
                   const ListenRequest& request) {
  const AudioConfig& audio = model.audio.config;
  if (audio.sample_rate == 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "listen: the model has no audio front end (no tinyenc.audio keys)");
  }
  if (request.pcm.i16 == nullptr && request.pcm.f32 == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "listen: the samples are null");
  }
  if (request.samples != audio.clip_samples) {
    return Status::Error(
        StatusCode::kInvalidArgument,
        "listen: %lu samples; the model takes windows of %" PRIu32 " (%" PRIu32 " Hz)",
        static_cast<unsigned long>(request.samples), audio.clip_samples, audio.sample_rate);
  }
  if (plan.max_rows < model.config.context_length) {
    return Status::Error(StatusCode::kBadSequenceLength,
                         "listen: the session was planned for %lu rows; a window needs %" PRIu32,
                         static_cast<unsigned long>(plan.max_rows), model.config.context_length);
  }
  if (request.advance % audio.window_stride != 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "listen: the window advanced %lu samples, not a multiple of the "
                         "%" PRIu32 "-sample stride",
                         static_cast<unsigned long>(request.advance), audio.window_stride);
  }
  if (request.pcm.f32 != nullptr) {
    for (size_t i = 0; i < request.samples; ++i) {
      if (!std::isfinite(request.pcm.f32[i])) {
        return Status::Error(StatusCode::kInvalidArgument, "listen: sample %lu is not finite",
                             static_cast<unsigned long>(i));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status Listen(const EncoderModel& model, const EncoderPlan& plan, uint8_t* arena,
              const ListenRequest& request, EncoderOutputs* outputs) {
  Status status = CheckListen(model, plan, request);
  if (!status.ok()) return status;
  const FrontEnd& front_end = model.audio.front_end;
  const size_t frames = front_end.frame_count;
  const size_t row_floats = front_end.feature_length;
  auto* features = reinterpret_cast<float*>(arena + plan.features_offset);
  // Frame t of this window is frame t + shift of the previous one.
  const size_t shift = request.advance / front_end.window_stride;
  const size_t kept = request.reuse_frames && shift > 0 && shift < frames ? frames - shift : 0;
  if (kept > 0) {
    std::memmove(features, features + shift * row_floats, kept * row_floats * sizeof(float));
  }
  status = ComputeFeatures(front_end, request.pcm, kept, frames - kept,
                           features + kept * row_floats, arena + plan.front_end_offset);
  if (!status.ok()) return status;
  SequenceInput input;
  input.features = features;
  input.length = frames;
  const EncodeRequest encode = {&input, 1, request.pooling, request.normalize, request.pool};
  return Encode(model, plan, arena, encode, outputs);
}

}  // namespace tinyenc
