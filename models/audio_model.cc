#include "models/audio_model.h"

#include <cinttypes>

#include "models/encoder_weights.h"

namespace tinyenc {
namespace {

const char* const kAudioKeys[] = {
    "tinyenc.audio.sample_rate", "tinyenc.audio.window_length", "tinyenc.audio.window_stride",
    "tinyenc.audio.fft_length",  "tinyenc.audio.frame_count",   "tinyenc.audio.log_epsilon",
    "tinyenc.audio.labels",
};
const char* const kAudioTensors[] = {"tinyenc.audio.window", "tinyenc.audio.mel",
                                     "tinyenc.audio.dct"};

Status Inconsistent(const char* what, uint32_t value, uint32_t expected) {
  return Status::Error(StatusCode::kBadHyperParameter,
                       "audio front end: %s is %" PRIu32 ", expected %" PRIu32, what, value,
                       expected);
}

// Present when any audio key or tensor is; then every one must be.
Status FindPresence(const GgufFile& file, bool* present) {
  const char* found = nullptr;
  const char* missing = nullptr;
  GgufValue value;
  GgufTensor tensor;
  for (const char* key : kAudioKeys) (file.FindKey(key, &value) ? found : missing) = key;
  for (const char* name : kAudioTensors) {
    (file.FindTensor(name, &tensor) ? found : missing) = name;
  }
  *present = found != nullptr;
  if (found != nullptr && missing != nullptr) {
    return Status::Error(StatusCode::kMissingKey,
                         "audio front end: '%s' is missing (the file has '%s'; a keyword model "
                         "needs every tinyenc.audio key and tensor)",
                         missing, found);
  }
  return Status::Ok();
}

Status ReadKeys(const GgufFile& file, AudioModel* audio) {
  FrontEnd& f = audio->front_end;
  Status status = file.GetU32("tinyenc.audio.sample_rate", &audio->config.sample_rate);
  if (status.ok()) status = file.GetU32("tinyenc.audio.window_length", &f.window_length);
  if (status.ok()) status = file.GetU32("tinyenc.audio.window_stride", &f.window_stride);
  if (status.ok()) status = file.GetU32("tinyenc.audio.fft_length", &f.fft_length);
  if (status.ok()) status = file.GetU32("tinyenc.audio.frame_count", &f.frame_count);
  if (status.ok()) status = file.GetF32("tinyenc.audio.log_epsilon", &f.log_epsilon);
  if (status.ok()) status = file.GetArray("tinyenc.audio.labels", &audio->labels);
  if (!status.ok()) return status;
  if (audio->labels.type != GgufValueType::kString) {
    return Status::Error(StatusCode::kKeyType, "key 'tinyenc.audio.labels' must be a string array");
  }
  if (audio->config.sample_rate == 0) {
    return Status::Error(StatusCode::kBadHyperParameter, "tinyenc.audio.sample_rate is 0");
  }
  return Status::Ok();
}

Status BindTensors(const GgufFile& file, AudioModel* audio) {
  FrontEnd& f = audio->front_end;
  GgufTensor mel;
  if (!file.FindTensor("tinyenc.audio.mel", &mel)) {
    return Status::Error(StatusCode::kMissingTensor, "tensor 'tinyenc.audio.mel' is missing");
  }
  if (mel.ne[0] > 0xffffffffu || mel.ne[1] > 0xffffffffu) {
    return Status::Error(StatusCode::kTensorShape, "tensor 'tinyenc.audio.mel' is too large");
  }
  f.spectrum_bins = static_cast<uint32_t>(mel.ne[0]);
  f.mel_bins = static_cast<uint32_t>(mel.ne[1]);
  Status status = BindF32Tensor(file, "tinyenc.audio.window", f.window_length, 1, &f.window);
  if (status.ok()) {
    status = BindF32Tensor(file, "tinyenc.audio.mel", f.spectrum_bins, f.mel_bins, &f.mel);
  }
  if (status.ok()) {
    status = BindF32Tensor(file, "tinyenc.audio.dct", f.mel_bins, f.feature_length, &f.dct);
  }
  return status;
}

Status CheckAgainstEncoder(const EncoderConfig& encoder, const AudioModel& audio) {
  if (encoder.input != InputType::kFeatures) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "audio front end: the model's input is tokens; audio needs features");
  }
  const uint32_t rows = audio.front_end.frame_count + (encoder.class_token ? 1 : 0);
  if (rows != encoder.context_length) {
    return Inconsistent("tinyenc.audio.frame_count (+ the class token)", rows,
                        encoder.context_length);
  }
  if (encoder.label_count == 0 || encoder.pooling == Pooling::kNone) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "audio front end: the model has no classifier (or no pooling) to give "
                         "one score per label");
  }
  if (audio.labels.count != encoder.label_count) {
    return Inconsistent("the count of tinyenc.audio.labels",
                        static_cast<uint32_t>(audio.labels.count > 0xffffffffu
                                                  ? 0xffffffffu : audio.labels.count),
                        encoder.label_count);
  }
  return Status::Ok();
}

}  // namespace

Status LoadAudioModel(const GgufFile& file, const EncoderConfig& encoder, AudioModel* audio) {
  *audio = AudioModel();
  bool present = false;
  Status status = FindPresence(file, &present);
  if (!status.ok() || !present) return status;
  audio->front_end.feature_length = encoder.feature_length;
  status = ReadKeys(file, audio);
  if (status.ok()) status = CheckAgainstEncoder(encoder, *audio);
  if (status.ok()) status = BindTensors(file, audio);
  if (status.ok()) status = CheckFrontEnd(audio->front_end);
  if (!status.ok()) {
    *audio = AudioModel();
    return status;
  }
  AudioConfig& config = audio->config;
  config.clip_samples = static_cast<uint32_t>(audio->front_end.clip_samples());
  config.window_stride = audio->front_end.window_stride;
  config.frame_count = audio->front_end.frame_count;
  config.label_count = encoder.label_count;
  return Status::Ok();
}

bool AudioLabel(const AudioModel& audio, size_t index, GgufString* name) {
  if (audio.config.sample_rate == 0 || index >= audio.labels.count) return false;
  GgufStringCursor cursor(audio.labels);
  for (size_t i = 0; i <= index; ++i) cursor.Next(name);
  return true;
}

}  // namespace tinyenc
