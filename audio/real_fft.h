// The magnitude spectrum of a real frame by a radix-2 FFT: the front end's
// replacement for the DFT-as-matrix-product of KWT's graph (n = 512: about
// 2.3k multiply-adds a frame instead of 234k; tools/bench_audio measures it).
//
// The n real samples are one h = n/2 point complex FFT of z_j = x_2j + i x_2j+1,
// then a split of Z into the spectra of the even and odd samples. The complex
// FFT runs in place on separate real and imaginary halves (whole vectors of
// either), natural order in and bit-reversed order out (Cooley-Tukey
// butterflies, each block of a level with one twiddle). In that order the bins
// the split pairs, k and h - k, mirror each other within blocks of positions
// [2^j, 2^(j+1)), and every level and the split read the same table of twiddles,
// e^(-2 pi i rev(q) / n) for position q: so the table takes the n floats it
// took before, and the last step gathers the bins back into natural order.
#ifndef TINYENC_AUDIO_REAL_FFT_H_
#define TINYENC_AUDIO_REAL_FFT_H_

#include <cstddef>

namespace tinyenc {

// n must be a power of two, at least 4 (the front end's check guarantees it).
// Twiddles: n floats, the real parts of e^(-2 pi i rev(q) / n) for q < n/2
// (rev reverses log2(n/2) bits), then their imaginary parts; each computed in
// double and rounded once.
void RealFftTwiddles(size_t n, float* twiddles);

// Where sample i of an n-sample frame goes in RealFftMagnitudes' `frame`: the
// even samples, then the odd ones (the complex FFT's real and imaginary parts).
inline size_t RealFftSlot(size_t i, size_t n) { return (i % 2) * (n / 2) + i / 2; }

// `frame` holds n real values at RealFftSlot positions and is overwritten.
// Writes |X_k| = sqrt(Re² + Im²) of the n-point DFT
// X_k = sum_j x_j e^(-2 pi i jk / n) for k < bins (bins <= n/2 + 1).
void RealFftMagnitudes(float* frame, size_t n, const float* twiddles, size_t bins,
                       float* magnitudes);

// Scalar reference (libtinyenc_audio_reference, tests only): the same
// definition for `frame` in natural order (x_j at j, left unchanged), by an
// iterative radix-2 FFT on interleaved complex values with its own twiddles.
void RealFftMagnitudesRef(const float* frame, size_t n, size_t bins, float* magnitudes);

}  // namespace tinyenc

#endif  // TINYENC_AUDIO_REAL_FFT_H_
