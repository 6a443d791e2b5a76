// A keyword model's audio front end as the weight file describes it
// (docs/FORMAT.md, audio keys): loaded with the encoder, checked against it.
#ifndef TINYENC_MODELS_AUDIO_MODEL_H_
#define TINYENC_MODELS_AUDIO_MODEL_H_

#include "audio/front_end.h"
#include "runtime/core/gguf.h"
#include "tinyenc/model_types.h"
#include "tinyenc/status.h"

namespace tinyenc {

struct AudioModel {
  AudioConfig config;
  FrontEnd front_end;
  GgufArray labels;  // label_count strings, in the file
};

// No audio keys or tensors: *audio stays empty (config.sample_rate 0). Some
// but not all of them, or values inconsistent with each other or with the
// encoder (features input of F values, frame_count + class token =
// context, a classifier with one output per label): an error naming the
// key or tensor.
Status LoadAudioModel(const GgufFile& file, const EncoderConfig& encoder, AudioModel* audio);

// The name of label `index`; false when out of range.
bool AudioLabel(const AudioModel& audio, size_t index, GgufString* name);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_AUDIO_MODEL_H_
