// The audio front end of keyword models (docs/FORMAT.md, audio keys): one
// window of mono PCM to frame_count frames of features, as KWT's TFLite graph
// computes them: framing, window, DFT magnitude, mel product, log of the
// floored energies, DCT product. The DFT is a real FFT here (the graph's is a
// matrix product); the two products are MatMul's F32 kernels. Frames are
// processed a tile at a time, so the scratch is a few kilobytes whatever the
// frame count, and it comes from the caller (the session's arena): no heap.
#ifndef TINYENC_AUDIO_FRONT_END_H_
#define TINYENC_AUDIO_FRONT_END_H_

#include <cstddef>
#include <cstdint>

#include "tinyenc/status.h"

namespace tinyenc {

// The parameters and tensors of a front end; the pointers are the weight
// file's F32 tensors, read in place.
struct FrontEnd {
  uint32_t window_length = 0;  // W samples per frame
  uint32_t window_stride = 0;  // samples between frame starts
  uint32_t fft_length = 0;     // N, a power of two >= W
  uint32_t frame_count = 0;
  uint32_t spectrum_bins = 0;  // B <= N/2 + 1: the bins the mel matrix reads
  uint32_t mel_bins = 0;       // M
  uint32_t feature_length = 0; // F
  float log_epsilon = 0.0f;
  const float* window = nullptr;  // W values
  const float* mel = nullptr;     // M rows of B values
  const float* dct = nullptr;     // F rows of M values

  // Samples of one window: frame_count frames of W, stride apart.
  size_t clip_samples() const {
    return frame_count == 0 ? 0
                            : (static_cast<size_t>(frame_count) - 1) * window_stride + window_length;
  }
};

// Frames computed together: their spectra and mel energies share the scratch.
constexpr size_t kFrontEndFrameTile = 8;

// kBadHyperParameter naming the value that is out of range or inconsistent;
// every finite-ness of the tensors included (a NaN in the mel matrix would
// reach every feature).
Status CheckFrontEnd(const FrontEnd& front_end);

// Scratch ComputeFeatures needs.
size_t FrontEndScratchBytes(const FrontEnd& front_end);

// One window of PCM: 16-bit samples (value / 32768) or floats.
struct Pcm {
  const int16_t* i16 = nullptr;
  const float* f32 = nullptr;
  static constexpr float kI16Scale = 1.0f / 32768.0f;
  float at(size_t i) const { return i16 != nullptr ? i16[i] * kI16Scale : f32[i]; }
};

// Features of frames [first, first + count) of the window `pcm` (which holds
// clip_samples() samples) into `features`, count rows of F values. Assumes
// CheckFrontEnd passed and first + count <= frame_count; scratch holds
// FrontEndScratchBytes() bytes, 4-byte aligned.
Status ComputeFeatures(const FrontEnd& front_end, const Pcm& pcm, size_t first, size_t count,
                       float* features, void* scratch);

// Scalar reference (libtinyenc_reference, tests only): the same definition
// with a direct DFT and every sum in double.
void ComputeFeaturesRef(const FrontEnd& front_end, const Pcm& pcm, size_t first, size_t count,
                        float* features);

}  // namespace tinyenc

#endif  // TINYENC_AUDIO_FRONT_END_H_
