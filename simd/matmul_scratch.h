// Layouts of MatMul's scratch for quantized weights: the quantized rows of X.
// The same on every SIMD target, so their size is known before dispatch.
#ifndef TINYENC_SIMD_MATMUL_SCRATCH_H_
#define TINYENC_SIMD_MATMUL_SCRATCH_H_

#include <cstddef>
#include <cstdint>

#include "runtime/core/checked_math.h"
#include "runtime/core/weight_types.h"

namespace tinyenc {

// Per X row: k int8 codes, k/32 f32 block scales, k/32 i32 block code sums
// (on AVX3_DL the same regions hold them by blocks of 16 rows: matmul-inl.h).
class QuantizedRows {
 public:
  static constexpr size_t kAlign = 64;

  // SIZE_MAX when the size overflows (m and k come from files and callers).
  static size_t Bytes(size_t m, size_t k) {
    const CheckedSize codes = CheckedSize(m) * k;
    const CheckedSize blocks = CheckedSize(m) * (k / kQuantBlock);
    const CheckedSize scales = blocks * sizeof(float);
    // RoundUp adds less than kAlign to each term; kAlign per term covers it.
    const CheckedSize bound = codes + scales + blocks * sizeof(int32_t) + 3 * kAlign;
    if (bound.overflowed()) return SIZE_MAX;
    return RoundUp(codes.value()) + RoundUp(scales.value()) + blocks.value() * sizeof(int32_t) +
           kAlign;
  }

  QuantizedRows(void* scratch, size_t m, size_t k) : k_(k) {
    const auto base = reinterpret_cast<uintptr_t>(scratch);
    uint8_t* aligned = static_cast<uint8_t*>(scratch) + (RoundUp(base) - base);
    const size_t blocks = m * (k / kQuantBlock);
    codes_ = reinterpret_cast<int8_t*>(aligned);
    scales_ = reinterpret_cast<float*>(aligned + RoundUp(m * k));
    sums_ = reinterpret_cast<int32_t*>(aligned + RoundUp(m * k) + RoundUp(blocks * sizeof(float)));
  }

  int8_t* Codes(size_t row) const { return codes_ + row * k_; }
  float* Scales(size_t row) const { return scales_ + row * (k_ / kQuantBlock); }
  int32_t* Sums(size_t row) const { return sums_ + row * (k_ / kQuantBlock); }

 private:
  static size_t RoundUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

  size_t k_;
  int8_t* codes_;
  float* scales_;
  int32_t* sums_;
};

// dots[r * 4 + c] += sum over [begin, end) of x[r][i] * w[c][i], for r <
// rows and 4 W rows: the values after the kernels' last whole vector step.
// Compiled once, outside the per-target code: Highway 1.0.3's AVX3_DL target
// enables AVX-VNNI, so GCC would vectorize this loop into VEX-encoded
// vpdpwssd, which AVX-512 cores without AVX-VNNI (Zen 4) cannot run.
void AddRowDotTail(const int16_t* const* x, size_t rows, const int8_t* const* w, size_t begin,
                   size_t end, int32_t* dots);
void AddRowDotTail(const uint8_t* const* x, size_t rows, const int8_t* const* w, size_t begin,
                   size_t end, int32_t* dots);
void AddRowDotTail(const int8_t* const* x, size_t rows, const int8_t* const* w, size_t begin,
                   size_t end, int32_t* dots);

// For I8 weights, per X row: k int16 codes (the row stride rounded up to
// kAlign bytes, so every row starts aligned), one f32 scale and, for 8-bit
// codes (k u8 at the row's start), the zero point. (On Armv7E-M each whole
// group of four int16 codes is stored reordered: i8_m_profile.h.)
class RowCodes {
 public:
  static constexpr size_t kAlign = 64;

  // Codes per row, padding included.
  static size_t Stride(size_t k) { return RoundUp(k * sizeof(int16_t)) / sizeof(int16_t); }
  static size_t Bytes(size_t m, size_t k) {
    return m * Stride(k) * sizeof(int16_t) + m * (sizeof(float) + sizeof(int32_t)) + kAlign;
  }

  RowCodes(void* scratch, size_t m, size_t k) : stride_(Stride(k)) {
    const auto base = reinterpret_cast<uintptr_t>(scratch);
    uint8_t* aligned = static_cast<uint8_t*>(scratch) + (RoundUp(base) - base);
    codes_ = reinterpret_cast<int16_t*>(aligned);
    scales_ = reinterpret_cast<float*>(aligned + m * stride_ * sizeof(int16_t));
    zeros_ = reinterpret_cast<int32_t*>(scales_ + m);
  }

  int16_t* Codes(size_t row) const { return codes_ + row * stride_; }
  uint8_t* NarrowCodes(size_t row) const { return reinterpret_cast<uint8_t*>(Codes(row)); }
  float& Scale(size_t row) const { return scales_[row]; }
  int32_t& Zero(size_t row) const { return zeros_[row]; }

 private:
  static size_t RoundUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

  size_t stride_;
  int16_t* codes_;
  float* scales_;
  int32_t* zeros_;
};

}  // namespace tinyenc

#endif  // TINYENC_SIMD_MATMUL_SCRATCH_H_
