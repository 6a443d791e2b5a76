// The magnitude spectrum of a real frame by a radix-2 FFT: the front end's
// replacement for the DFT-as-matrix-product of KWT's graph (n = 512: about
// 2.3k multiply-adds a frame instead of 234k; tools/bench_audio measures it).
#ifndef TINYENC_AUDIO_REAL_FFT_H_
#define TINYENC_AUDIO_REAL_FFT_H_

#include <cstddef>

namespace tinyenc {

// n must be a power of two, at least 4 (the front end's check guarantees it).
// Twiddles: n/2 complex values e^(-2 pi i k / n), k < n/2, as n floats
// (re, im), computed in double and rounded once.
void RealFftTwiddles(size_t n, float* twiddles);

// `frame` holds n real values and is overwritten (it becomes the n/2-point
// complex FFT of its even/odd pairs). Writes |X_k| = sqrt(Re² + Im²) of the
// n-point DFT X_k = sum_j frame_j e^(-2 pi i jk / n) for k < bins (bins <=
// n/2 + 1).
void RealFftMagnitudes(float* frame, size_t n, const float* twiddles, size_t bins,
                       float* magnitudes);

}  // namespace tinyenc

#endif  // TINYENC_AUDIO_REAL_FFT_H_
