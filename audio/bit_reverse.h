// Bit reversal of table indices: the FFT's spectrum and twiddle table are
// kept in bit-reversed order (audio/real_fft.h says why).
#ifndef TINYENC_AUDIO_BIT_REVERSE_H_
#define TINYENC_AUDIO_BIT_REVERSE_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {

// The low `bits` bits of value in reverse order (bits 1 to 31); branch-free,
// so the FFT can call it once per vector of bins.
inline size_t BitReverse(size_t value, unsigned bits) {
  uint32_t v = static_cast<uint32_t>(value);
  v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
  v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
  v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
  v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
  v = (v >> 16) | (v << 16);
  return v >> (32 - bits);
}

// log2 of a power of two.
inline unsigned Log2(size_t power_of_two) {
  unsigned bits = 0;
  while ((size_t{1} << bits) < power_of_two) ++bits;
  return bits;
}

}  // namespace tinyenc

#endif  // TINYENC_AUDIO_BIT_REVERSE_H_
