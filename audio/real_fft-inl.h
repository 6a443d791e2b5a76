// Per-target real FFT magnitudes; see real_fft.h for the contract and the
// layout (real and imaginary halves, bit-reversed spectrum and twiddles).

#if defined(TINYENC_AUDIO_REAL_FFT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_AUDIO_REAL_FFT_INL_H_
#undef TINYENC_AUDIO_REAL_FFT_INL_H_
#else
#define TINYENC_AUDIO_REAL_FFT_INL_H_
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "audio/bit_reverse.h"
#include "simd/f32_m_profile.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// (ar + i ai)(br + i bi) into *re + i *im.
template <class V>
HWY_INLINE void ComplexMul(V ar, V ai, V br, V bi, V* HWY_RESTRICT re, V* HWY_RESTRICT im) {
  *re = hn::MulSub(ar, br, hn::Mul(ai, bi));
  *im = hn::MulAdd(ar, bi, hn::Mul(ai, br));
}

// A complex FFT level whose half-blocks (len values) are whole vectors: block
// b's second half times twiddle b, added to and subtracted from its first.
template <class D>
HWY_INLINE void WideLevel(D d, float* HWY_RESTRICT re, float* HWY_RESTRICT im, size_t h,
                          size_t len, const float* HWY_RESTRICT wr,
                          const float* HWY_RESTRICT wi) {
  const size_t lanes = hn::Lanes(d);
  for (size_t b = 0, start = 0; start < h; ++b, start += 2 * len) {
    const auto zr = hn::Set(d, wr[b]), zi = hn::Set(d, wi[b]);
    for (size_t j = start; j < start + len; j += lanes) {
      const auto ar = hn::LoadU(d, re + j), ai = hn::LoadU(d, im + j);
      const auto br = hn::LoadU(d, re + j + len), bi = hn::LoadU(d, im + j + len);
      hn::Vec<D> tr, ti;
      ComplexMul(br, bi, zr, zi, &tr, &ti);
      hn::StoreU(hn::Add(ar, tr), d, re + j);
      hn::StoreU(hn::Add(ai, ti), d, im + j);
      hn::StoreU(hn::Sub(ar, tr), d, re + j + len);
      hn::StoreU(hn::Sub(ai, ti), d, im + j + len);
    }
  }
}

// A level whose half-blocks (len values, len < lanes) lie within one vector.
// Lane l is in the second half of its block if l & len; its partner is
// l ^ len. With w = v times the lane's twiddle (1 in first halves), a lane
// becomes w + partner(w) in a first half and partner(w) - w in a second.
template <class D>
HWY_INLINE void NarrowLevel(D d, float* HWY_RESTRICT re, float* HWY_RESTRICT im, size_t h,
                            size_t len, const float* HWY_RESTRICT wr,
                            const float* HWY_RESTRICT wi) {
  const hn::RebindToSigned<D> di;
  const size_t lanes = hn::Lanes(d);
  const auto lane = hn::Iota(di, 0);
  const auto len_bit = hn::Set(di, static_cast<int32_t>(len));
  const auto second = hn::RebindMask(d, hn::TestBit(lane, len_bit));
  const auto partner = hn::IndicesFromVec(d, hn::Xor(lane, len_bit));
  const auto block = hn::IndicesFromVec(d, hn::ShiftRightSame(lane, Log2(2 * len)));
  const auto sign = hn::IfThenElse(second, hn::Set(d, -1.0f), hn::Set(d, 1.0f));
  const auto one = hn::Set(d, 1.0f);
  for (size_t j = 0; j < h; j += lanes) {
    // Twiddles of this vector's blocks, j / (2 len) on (within the table: h >= lanes).
    const size_t first_block = j / (2 * len);
    const auto zr = hn::IfThenElse(second, hn::TableLookupLanes(hn::LoadU(d, wr + first_block), block), one);
    const auto zi = hn::IfThenElseZero(second, hn::TableLookupLanes(hn::LoadU(d, wi + first_block), block));
    const auto vr = hn::LoadU(d, re + j), vi = hn::LoadU(d, im + j);
    hn::Vec<D> tr, ti;
    ComplexMul(vr, vi, zr, zi, &tr, &ti);
    hn::StoreU(hn::MulAdd(sign, tr, hn::TableLookupLanes(tr, partner)), d, re + j);
    hn::StoreU(hn::MulAdd(sign, ti, hn::TableLookupLanes(ti, partner)), d, im + j);
  }
}

// Natural order in, bit-reversed order out: level b has blocks of 2 len
// values, len = h/2 down to 1, and reads twiddles 0 to h/(2 len) - 1.
template <class D>
HWY_INLINE void ComplexFftBitReversed(D d, float* HWY_RESTRICT re, float* HWY_RESTRICT im,
                                      size_t h, const float* HWY_RESTRICT wr,
                                      const float* HWY_RESTRICT wi) {
  for (size_t len = h / 2; len >= 1; len /= 2) {
    if (len >= hn::Lanes(d)) {
      WideLevel(d, re, im, h, len, wr, wi);
    } else {
      NarrowLevel(d, re, im, h, len, wr, wi);
    }
  }
}

// Bins k and h - k from Z at positions q (lanes of d) and their mirrors,
// whose lowest is at `back`: with Y = Z_(h-k), E = Z + conj Y and
// O = (Z - conj Y) / i are twice the even and odd samples' spectra, so
// |X_k| = |E + w O| / 2 and |X_(h-k)| = |E - w O| / 2, w the twiddle at q.
// Written over re at q and back (each pair reads before it writes).
template <class D>
HWY_INLINE void SplitPair(D d, float* HWY_RESTRICT re, const float* HWY_RESTRICT im,
                          const float* HWY_RESTRICT wr, const float* HWY_RESTRICT wi,
                          size_t q, size_t back) {
  const auto zr = hn::LoadU(d, re + q), zi = hn::LoadU(d, im + q);
  const auto yr = hn::Reverse(d, hn::LoadU(d, re + back));
  const auto yi = hn::Reverse(d, hn::LoadU(d, im + back));
  const auto er = hn::Add(zr, yr), ei = hn::Sub(zi, yi);
  const auto or_ = hn::Add(zi, yi), oi = hn::Sub(yr, zr);
  const auto w_r = hn::LoadU(d, wr + q), w_i = hn::LoadU(d, wi + q);
  hn::Vec<D> pr, pi;
  ComplexMul(or_, oi, w_r, w_i, &pr, &pi);
  const auto half = hn::Set(d, 0.5f);
  const auto sr = hn::Add(er, pr), si = hn::Add(ei, pi);
  const auto dr = hn::Sub(er, pr), di = hn::Sub(ei, pi);
  const auto sum = hn::Mul(half, hn::Sqrt(hn::MulAdd(sr, sr, hn::Mul(si, si))));
  const auto difference = hn::Mul(half, hn::Sqrt(hn::MulAdd(dr, dr, hn::Mul(di, di))));
  hn::StoreU(sum, d, re + q);
  hn::StoreU(hn::Reverse(d, difference), d, re + back);
}

// The split on the bit-reversed Z: position q holds Z_rev(q), and the mirror
// of q in [2^j, 2^(j+1)) holds Z_(h - rev(q)). Leaves |X_rev(q)| in re[q]
// and returns |X_h|.
template <class D>
HWY_INLINE float SplitMagnitudes(D d, float* HWY_RESTRICT re, const float* HWY_RESTRICT im,
                                 size_t h, const float* HWY_RESTRICT wr,
                                 const float* HWY_RESTRICT wi) {
  const hn::CappedTag<float, 1> d1;
  const size_t lanes = hn::Lanes(d);
  // X_0 = Re Z_0 + Im Z_0 and X_h = Re Z_0 - Im Z_0 are real; position 1,
  // Z_(h/2), is its own mirror.
  const float last = std::fabs(re[0] - im[0]);
  re[0] = std::fabs(re[0] + im[0]);
  SplitPair(d1, re, im, wr, wi, 1, 1);
  for (size_t block = 2; block < h; block *= 2) {
    const size_t end = block + block / 2;
    if (block / 2 >= lanes) {
      for (size_t q = block; q < end; q += lanes) SplitPair(d, re, im, wr, wi, q, 3 * block - q - lanes);
    } else {
      for (size_t q = block; q < end; ++q) SplitPair(d1, re, im, wr, wi, q, 3 * block - 1 - q);
    }
  }
  return last;
}

// magnitudes[k] = spectrum[rev(k)] for k < count (<= h): with k a multiple
// of the lane count, rev(k + l) = rev(k) + rev(l), a gather at fixed offsets.
template <class D>
HWY_INLINE void GatherNaturalOrder(D d, const float* HWY_RESTRICT spectrum, size_t h,
                                   size_t count, float* HWY_RESTRICT magnitudes) {
  const hn::RebindToSigned<D> di;
  const size_t lanes = hn::Lanes(d);
  const unsigned bits = Log2(h);
  HWY_ALIGN int32_t offsets[HWY_MAX_BYTES / sizeof(float)];
  for (size_t l = 0; l < lanes; ++l) offsets[l] = static_cast<int32_t>(BitReverse(l, bits));
  const auto offset = hn::Load(di, offsets);
  size_t k = 0;
  for (; k + lanes <= count; k += lanes) {
    hn::StoreU(hn::GatherIndex(d, spectrum + BitReverse(k, bits), offset), d, magnitudes + k);
  }
  for (; k < count; ++k) magnitudes[k] = spectrum[BitReverse(k, bits)];
}

template <class D>
HWY_INLINE void RealFftMagnitudesWith(D d, float* HWY_RESTRICT frame, size_t n,
                                      const float* HWY_RESTRICT twiddles, size_t bins,
                                      float* HWY_RESTRICT magnitudes) {
  const size_t h = n / 2;
  float* re = frame;
  float* im = frame + h;
  const float* wr = twiddles;
  const float* wi = twiddles + h;
  ComplexFftBitReversed(d, re, im, h, wr, wi);
  const float last = SplitMagnitudes(d, re, im, h, wr, wi);
  GatherNaturalOrder(d, re, h, bins < h ? bins : h, magnitudes);
  if (bins > h) magnitudes[h] = last;
}

inline void RealFftMagnitudes(float* HWY_RESTRICT frame, size_t n,
                              const float* HWY_RESTRICT twiddles, size_t bins,
                              float* HWY_RESTRICT magnitudes) {
  // The vector code needs h >= lanes; shorter frames take one lane, and so
  // does Helium's build, whose EMU128 vectors are four-lane loops (they took
  // 3.2 M instructions a Listen more than one lane).
#ifndef TINYENC_F32_HELIUM
  const hn::ScalableTag<float> d;
  if (n / 2 >= hn::Lanes(d)) return RealFftMagnitudesWith(d, frame, n, twiddles, bins, magnitudes);
#endif
  RealFftMagnitudesWith(hn::CappedTag<float, 1>(), frame, n, twiddles, bins, magnitudes);
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_AUDIO_REAL_FFT_INL_H_
