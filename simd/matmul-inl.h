// Per-target MatMul: Y = X . W^T (+ bias) with W used in place.
//
// Every output is a dot product of an X row with a W row, both contiguous in
// K, so the kernels walk K with register tiles of up to 4 X rows x 4 W rows
// and reduce the 16 accumulators at the end (ReduceTile). W is swept in
// column blocks sized for L2 so that each W byte comes from memory once while
// the X rows, re-read per block, stay in cache.
//
// Block-quantized weights first have X quantized into the caller's scratch
// (the same size on every target; AVX3_DL arranges it in blocks of 16 rows).
// AVX3_DL uses AVX512-VNNI (vpdpbusd) for the integer block dot products; the
// other targets widen to i16 and use ReorderWidenMulAccumulate, except I8's
// 8-bit rows on SVE and AArch64's dot-product extension (SDOT). On Cortex-M,
// which Highway does not target, I8 row dots are i8_m_profile.h's (DSP or
// Helium intrinsics) and F32 tiles f32_m_profile.h's.

#if defined(TINYENC_SIMD_MATMUL_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_MATMUL_INL_H_
#undef TINYENC_SIMD_MATMUL_INL_H_
#else
#define TINYENC_SIMD_MATMUL_INL_H_
#endif

#include <cmath>
#include <cfloat>
#include <cstring>
#include <limits>
#include <type_traits>

#include "hwy/highway.h"
#include "runtime/core/f16.h"
#include "simd/matmul.h"
#include "simd/matmul_scratch.h"
#include "simd/reduce-inl.h"
#include "simd/f32_m_profile.h"
#include "simd/i8_m_profile.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The tiles' per-column lambdas must inline: called out of line, each call
// passes its vector accumulators through memory (measured: Q8_0 matmuls 2.3x
// slower once the pool's wrapper pushed them past GCC's inlining budget).
#ifndef TINYENC_INLINE_LAMBDA
#define TINYENC_INLINE_LAMBDA __attribute__((always_inline))
#endif

// X rows per register tile: 4 x 4 accumulators plus operands need about 21
// vector registers, which targets with 16 registers don't have.
#if (HWY_ARCH_X86 && HWY_TARGET > HWY_AVX3) || HWY_ARCH_ARM_V7
constexpr size_t kTileRows = 2;
#else
constexpr size_t kTileRows = 4;
#endif
constexpr size_t kTileCols = 4;  // W rows per tile; ReduceTile wants four

// SDOT (four i8 products into each i32 lane): in every SVE, and in
// AArch64's NEON with the dot-product extension where the compiler targets
// it (-march=armv8.2-a+dotprod, or a -mcpu such as cortex-a55 or
// cortex-a76). Highway 1.0.3 has no op for it.
#undef TINYENC_ARM_SDOT  // this header is compiled once per target
#if (HWY_TARGET == HWY_NEON && HWY_ARCH_ARM_A64 && defined(__ARM_FEATURE_DOTPROD)) || \
    (HWY_TARGET & (HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128))
#define TINYENC_ARM_SDOT 1
#endif
// W bytes per column block: the block stays in a 32 KiB+ L1 while every X
// row group passes over it, so W comes from memory once and X from L2 once
// per block (a block sized for L2 instead re-reads W from L2 per row group,
// measured 1.5x slower).
constexpr size_t kColumnBlockBytes = 24 * 1024;

inline size_t ColumnBlockRows(size_t row_bytes) {
  const size_t rows = kColumnBlockBytes / (row_bytes ? row_bytes : 1);
  return rows < kTileCols ? kTileCols : rows / kTileCols * kTileCols;
}

// The first X row group's tiles fetch W from memory: each asks for the W
// rows kPrefetchTiles tiles ahead into L2 (prefetcht1 / prfm pldl2keep), which
// the hardware's own prefetch did not cover. MiniLM-L6 F32 at 16 tokens (W
// from DRAM) 6.02 -> 4.85 ms; into L1 instead 5.87, 2 to 16 tiles ahead alike.
// Cortex-M cores have no cache to fill.
constexpr size_t kPrefetchTiles = 4;
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
constexpr bool kPrefetchesTiles = false;
#else
constexpr bool kPrefetchesTiles = true;
#endif
HWY_INLINE void PrefetchTileRows(const void* rows, size_t bytes) {
  const char* HWY_RESTRICT p = static_cast<const char*>(rows);
  for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(p + b, 0, 2);
}

// Writes a tile's sums (+ bias) to the `cols` valid columns of y.
template <size_t kRows>
HWY_INLINE void StoreTile(const float (&sums)[kRows][kTileCols], size_t cols,
                          const float* HWY_RESTRICT bias, float* HWY_RESTRICT y, size_t ldy) {
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t c = 0; c < cols; ++c) y[r * ldy + c] = sums[r][c] + (bias ? bias[c] : 0.0f);
  }
}

// ---------------------------------------------------------------- F32 / F16

template <class D>
HWY_INLINE hn::Vec<D> LoadWeights(D d, const float* HWY_RESTRICT row, size_t i) {
  return hn::LoadU(d, row + i);
}
template <class D>
HWY_INLINE hn::Vec<D> LoadWeights(D d, const hwy::float16_t* HWY_RESTRICT row, size_t i) {
  return hn::PromoteTo(d, hn::LoadU(hn::Rebind<hwy::float16_t, D>(), row + i));
}
HWY_INLINE float WeightValue(const float* row, size_t i) { return row[i]; }
HWY_INLINE float WeightValue(const hwy::float16_t* row, size_t i) {
  uint16_t bits;
  std::memcpy(&bits, row + i, sizeof(bits));
  return F16ToF32(bits);
}

// sums[r][c] = dot(x row r, w row c) over k values. Accumulators are named
// variables, not arrays, because SVE vectors cannot be array elements.
template <size_t kRows, class WT>
HWY_INLINE void FloatTile(const float* HWY_RESTRICT x, size_t ldx, const WT* HWY_RESTRICT w0,
                          const WT* HWY_RESTRICT w1, const WT* HWY_RESTRICT w2,
                          const WT* HWY_RESTRICT w3, size_t k, float (&sums)[kRows][kTileCols]) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const float* HWY_RESTRICT x0 = x;
  const float* HWY_RESTRICT x1 = x + (kRows > 1 ? ldx : 0);
  const float* HWY_RESTRICT x2 = x + (kRows > 2 ? 2 * ldx : 0);
  const float* HWY_RESTRICT x3 = x + (kRows > 3 ? 3 * ldx : 0);
  auto a00 = hn::Zero(d), a01 = hn::Zero(d), a02 = hn::Zero(d), a03 = hn::Zero(d);
  auto a10 = hn::Zero(d), a11 = hn::Zero(d), a12 = hn::Zero(d), a13 = hn::Zero(d);
  auto a20 = hn::Zero(d), a21 = hn::Zero(d), a22 = hn::Zero(d), a23 = hn::Zero(d);
  auto a30 = hn::Zero(d), a31 = hn::Zero(d), a32 = hn::Zero(d), a33 = hn::Zero(d);
  size_t i = 0;
  for (; i + lanes <= k; i += lanes) {
    const auto v0 = LoadWeights(d, w0, i), v1 = LoadWeights(d, w1, i);
    const auto v2 = LoadWeights(d, w2, i), v3 = LoadWeights(d, w3, i);
    auto xv = hn::LoadU(d, x0 + i);
    a00 = hn::MulAdd(xv, v0, a00), a01 = hn::MulAdd(xv, v1, a01);
    a02 = hn::MulAdd(xv, v2, a02), a03 = hn::MulAdd(xv, v3, a03);
    if constexpr (kRows > 1) {
      xv = hn::LoadU(d, x1 + i);
      a10 = hn::MulAdd(xv, v0, a10), a11 = hn::MulAdd(xv, v1, a11);
      a12 = hn::MulAdd(xv, v2, a12), a13 = hn::MulAdd(xv, v3, a13);
    }
    if constexpr (kRows > 2) {
      xv = hn::LoadU(d, x2 + i);
      a20 = hn::MulAdd(xv, v0, a20), a21 = hn::MulAdd(xv, v1, a21);
      a22 = hn::MulAdd(xv, v2, a22), a23 = hn::MulAdd(xv, v3, a23);
    }
    if constexpr (kRows > 3) {
      xv = hn::LoadU(d, x3 + i);
      a30 = hn::MulAdd(xv, v0, a30), a31 = hn::MulAdd(xv, v1, a31);
      a32 = hn::MulAdd(xv, v2, a32), a33 = hn::MulAdd(xv, v3, a33);
    }
  }
  ReduceTile<kRows>(d, a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32,
                    a33, sums);
  const WT* const w[kTileCols] = {w0, w1, w2, w3};
  for (; i < k; ++i) {
    for (size_t r = 0; r < kRows; ++r) {
      for (size_t c = 0; c < kTileCols; ++c) sums[r][c] += x[r * ldx + i] * WeightValue(w[c], i);
    }
  }
}

// ------------------------------------------------------ Q8_0 / Q4_0 blocks

HWY_INLINE float BlockScale(const void* block) {
  uint16_t bits;
  std::memcpy(&bits, block, sizeof(bits));  // blocks are only 2-byte aligned
  return F16ToF32(bits);
}

// Lanes of i16 codes handled per step. A Q4_0 chunk must lie within one half
// of the block (low or high nibbles), hence at most 16.
template <class Block>
using CodeTag = hn::CappedTag<int16_t, sizeof(Block) == sizeof(BlockQ4_0) ? 16 : 32>;

// Weight codes [j, j + Lanes(d16)) of a block, widened to i16 and centred.
template <class D16>
HWY_INLINE hn::Vec<D16> LoadCodes(D16 d16, const BlockQ8_0* HWY_RESTRICT block, size_t j) {
  return hn::PromoteTo(d16, hn::LoadU(hn::Rebind<int8_t, D16>(), block->qs + j));
}
template <class D16>
HWY_INLINE hn::Vec<D16> LoadCodes(D16 d16, const BlockQ4_0* HWY_RESTRICT block, size_t j) {
  const auto bytes =
      hn::PromoteTo(d16, hn::LoadU(hn::Rebind<uint8_t, D16>(), block->qs + (j % 16)));
  const auto nibbles = j < 16 ? hn::And(bytes, hn::Set(d16, 15)) : hn::ShiftRight<4>(bytes);
  return hn::Sub(nibbles, hn::Set(d16, 8));
}

#if HWY_TARGET == HWY_AVX3_DL
// On AVX3_DL, X's codes go in blocks of kBlockRows rows, so that one vector
// holds a group of codes of 16 rows and vpdpbusd against a broadcast W group
// leaves 16 rows' dot products in 16 lanes: nothing to sum across lanes.
constexpr size_t kBlockRows = 16;
inline size_t WholeBlockRows(size_t m) { return m / kBlockRows * kBlockRows; }
// The rows of X's block holding row `first` (a multiple of kBlockRows): 16,
// or fewer in the last block.
inline size_t BlockRowCount(size_t first, size_t m) {
  return m - first < kBlockRows ? m - first : kBlockRows;
}
// Q8_0/Q4_0: a last block of this many rows or fewer keeps the row layout
// and runs through FewQuantRows: in lanes, one row would use 1/16 of each
// product.
constexpr size_t kFewBlockRows = 3;
// The first of X's m rows that FewQuantRows computes (m when none).
inline size_t FirstFewRow(size_t m) {
  const size_t last = m == 0 ? 0 : (m - 1) / kBlockRows * kBlockRows;
  return m - last <= kFewBlockRows ? last : m;
}
#endif

// Quantizes rows [begin, end) of X's m rows (k a multiple of 32) into `q` as
// quantize.h documents. On AVX3_DL each block of rows (the last may be
// short, of `rows` rows) keeps its codes in groups: group g holds codes
// 4g..4g+3 of every row, row j's at bytes 4j..4j+3, 4 * rows bytes a group;
// block scales and code sums are by block, then row (b * rows + j); the rows
// from FirstFewRow(m) keep the row layout.
inline void QuantizeActivations(const float* HWY_RESTRICT x, size_t begin, size_t end, size_t m,
                                size_t k, const QuantizedRows& q) {
  const hn::CappedTag<float, kQuantBlock> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Rebind<int8_t, decltype(d)> d8;
  const size_t lanes = hn::Lanes(d);
  const size_t blocks = k / kQuantBlock;
  for (size_t r = begin; r < end; ++r) {
#if HWY_TARGET == HWY_AVX3_DL
    const size_t first = r / kBlockRows * kBlockRows;
    const bool in_lanes = r < FirstFewRow(m);  // else FewQuantRows' row layout
    const size_t rows = in_lanes ? BlockRowCount(first, m) : 1;
    const size_t lane = in_lanes ? r - first : 0;
    const size_t row0 = r - lane;  // the block's first row, or r itself
    int8_t* const row_codes = q.Codes(row0) + 4 * lane;
    const size_t group_stride = 4 * rows;
    float* const scales = q.Scales(row0) + lane;
    int32_t* const sums = q.Sums(row0) + lane;
    const size_t stride = rows;
#else
    (void)m;
    int8_t* const row_codes = q.Codes(r);
    float* const scales = q.Scales(r);
    int32_t* const sums = q.Sums(r);
    const size_t stride = 1;
#endif
    for (size_t b = 0; b < blocks; ++b) {
      const float* HWY_RESTRICT in = x + r * k + b * kQuantBlock;
      auto amax = hn::Zero(d);
      auto non_finite = hn::Zero(d);  // v - v: 0 for finite v, NaN for NaN and infinities
      for (size_t j = 0; j < kQuantBlock; j += lanes) {
        const auto v = hn::LoadU(d, in + j);
        amax = hn::Max(amax, hn::Abs(v));
        non_finite = hn::Add(non_finite, hn::Sub(v, v));
      }
      const float block_amax = ReduceMax(d, amax);
      // Code i of this block; codes i..i+3 are contiguous for i a multiple of 4.
      const auto code_at = [&](size_t i) TINYENC_INLINE_LAMBDA {
#if HWY_TARGET == HWY_AVX3_DL
        return row_codes + (b * kQuantBlock + i) / 4 * group_stride + i % 4;
#else
        return row_codes + b * kQuantBlock + i;
#endif
      };
      // NearestInt of NaN or infinity is undefined on EMU128 and SCALAR, and
      // INT_MIN codes overflowed the code sum (F8). Max may drop a NaN lane,
      // so the check is its own sum. Such a block gets zero codes and a NaN
      // scale: its outputs are NaN, as the float arithmetic would make them.
      if (ReduceSum(d, non_finite) != 0.0f) {
        for (size_t i = 0; i < kQuantBlock; i += 4) std::memset(code_at(i), 0, 4);
        scales[b * stride] = std::numeric_limits<float>::quiet_NaN();
        sums[b * stride] = 0;
        continue;
      }
      // 0 for an all-zero block; a subnormal amax could make 127 / amax
      // infinite, so tiny blocks get zero codes too.
      const float inverse = 127.0f / block_amax;
      const auto multiplier = hn::Set(d, inverse <= FLT_MAX ? inverse : 0.0f);
      auto sum = hn::Zero(di);
      for (size_t j = 0; j < kQuantBlock; j += lanes) {
        const auto rounded = hn::NearestInt(hn::Mul(hn::LoadU(d, in + j), multiplier));
        sum = hn::Add(sum, rounded);
        int8_t codes[kQuantBlock];
        hn::StoreU(hn::DemoteTo(d8, rounded), d8, codes);
        for (size_t i = 0; i < lanes; i += 4) {
          std::memcpy(code_at(j + i), codes + i, lanes < 4 ? lanes : 4);
        }
      }
      scales[b * stride] = block_amax / 127.0f;
      sums[b * stride] = hn::GetLane(hn::SumOfLanes(di, sum));
    }
  }
}

#if HWY_TARGET == HWY_AVX3_DL
// acc += dot products of groups of 4 u8 (a) and i8 (b) lanes. Inline asm
// because Highway 1.0.3's AVX3_DL target does not enable avx512vnni for
// intrinsics; every CPU Highway treats as AVX3_DL has it.
HWY_INLINE hn::Vec512<int32_t> DotBytes(hn::Vec512<int32_t> acc, hn::Vec512<uint8_t> a,
                                        hn::Vec512<int8_t> b) {
  asm("vpdpbusd %2, %1, %0" : "+v"(acc.raw) : "v"(a.raw), "v"(b.raw));
  return acc;
}

#endif  // HWY_TARGET == HWY_AVX3_DL

#ifdef TINYENC_ARM_SDOT
// acc + the sums of each four products of signed bytes a and b, per i32 lane
// (SDOT; AVX3_DL's DotBytes above takes unsigned a).
template <class V32, class V8>
HWY_INLINE V32 DotBytes(V32 acc, V8 a, V8 b) {
#if HWY_HAVE_SCALABLE
  return svdot_s32(acc, a, b);
#else
  return V32(vdotq_s32(acc.raw, a.raw, b.raw));
#endif
}
#endif  // TINYENC_ARM_SDOT

// sums[r][c] = sum over blocks of scale_x * scale_w * exact integer block dot
// (targets other than AVX3_DL, which uses BlockedQuantColumns).
template <size_t kRows, class Block>
HWY_INLINE void QuantTile(const QuantizedRows& q, size_t row0, const Block* HWY_RESTRICT w0,
                          const Block* HWY_RESTRICT w1, const Block* HWY_RESTRICT w2,
                          const Block* HWY_RESTRICT w3, size_t blocks,
                          float (&sums)[kRows][kTileCols]) {
  const Block* const w[kTileCols] = {w0, w1, w2, w3};
  const int8_t* HWY_RESTRICT x0 = q.Codes(row0);
  const int8_t* HWY_RESTRICT x1 = q.Codes(row0 + (kRows > 1 ? 1 : 0));
  const int8_t* HWY_RESTRICT x2 = q.Codes(row0 + (kRows > 2 ? 2 : 0));
  const int8_t* HWY_RESTRICT x3 = q.Codes(row0 + (kRows > 3 ? 3 : 0));
  const float* const scales[4] = {q.Scales(row0), q.Scales(row0 + (kRows > 1 ? 1 : 0)),
                                  q.Scales(row0 + (kRows > 2 ? 2 : 0)),
                                  q.Scales(row0 + (kRows > 3 ? 3 : 0))};
  const CodeTag<Block> d16;
  const hn::Repartition<int32_t, decltype(d16)> d32;
  const hn::Rebind<float, decltype(d32)> df;
  const hn::Rebind<int8_t, decltype(d16)> d8;
  const size_t lanes = hn::Lanes(d16);
  auto a00 = hn::Zero(df), a01 = hn::Zero(df), a02 = hn::Zero(df), a03 = hn::Zero(df);
  auto a10 = hn::Zero(df), a11 = hn::Zero(df), a12 = hn::Zero(df), a13 = hn::Zero(df);
  auto a20 = hn::Zero(df), a21 = hn::Zero(df), a22 = hn::Zero(df), a23 = hn::Zero(df);
  auto a30 = hn::Zero(df), a31 = hn::Zero(df), a32 = hn::Zero(df), a33 = hn::Zero(df);
  for (size_t b = 0; b < blocks; ++b) {
    const size_t offset = b * kQuantBlock;
    const auto column = [&](size_t c, auto& acc0, auto& acc1, auto& acc2,
                              auto& acc3) TINYENC_INLINE_LAMBDA {
      const Block* HWY_RESTRICT block = &w[c][b];
      auto s0 = hn::Zero(d32), s1 = hn::Zero(d32), s2 = hn::Zero(d32), s3 = hn::Zero(d32);
      auto t0 = hn::Zero(d32), t1 = hn::Zero(d32), t2 = hn::Zero(d32), t3 = hn::Zero(d32);
      for (size_t j = 0; j < kQuantBlock; j += lanes) {
        const auto wv = LoadCodes(d16, block, j);
        s0 = hn::ReorderWidenMulAccumulate(
            d32, hn::PromoteTo(d16, hn::LoadU(d8, x0 + offset + j)), wv, s0, t0);
        if constexpr (kRows > 1) {
          s1 = hn::ReorderWidenMulAccumulate(
              d32, hn::PromoteTo(d16, hn::LoadU(d8, x1 + offset + j)), wv, s1, t1);
        }
        if constexpr (kRows > 2) {
          s2 = hn::ReorderWidenMulAccumulate(
              d32, hn::PromoteTo(d16, hn::LoadU(d8, x2 + offset + j)), wv, s2, t2);
        }
        if constexpr (kRows > 3) {
          s3 = hn::ReorderWidenMulAccumulate(
              d32, hn::PromoteTo(d16, hn::LoadU(d8, x3 + offset + j)), wv, s3, t3);
        }
      }
      const float ws = BlockScale(block);
      acc0 = hn::MulAdd(hn::ConvertTo(df, hn::Add(s0, t0)), hn::Set(df, scales[0][b] * ws), acc0);
      if constexpr (kRows > 1) {
        acc1 = hn::MulAdd(hn::ConvertTo(df, hn::Add(s1, t1)), hn::Set(df, scales[1][b] * ws), acc1);
      }
      if constexpr (kRows > 2) {
        acc2 = hn::MulAdd(hn::ConvertTo(df, hn::Add(s2, t2)), hn::Set(df, scales[2][b] * ws), acc2);
      }
      if constexpr (kRows > 3) {
        acc3 = hn::MulAdd(hn::ConvertTo(df, hn::Add(s3, t3)), hn::Set(df, scales[3][b] * ws), acc3);
      }
    };
    column(0, a00, a10, a20, a30);
    column(1, a01, a11, a21, a31);
    column(2, a02, a12, a22, a32);
    column(3, a03, a13, a23, a33);
  }
  ReduceTile<kRows>(df, a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31,
                    a32, a33, sums);
}

// ------------------------------------------------------------ I8 rows

#if HWY_TARGET == HWY_AVX3_DL
// A row's smallest and largest values, widened to hold 0; false if a value
// is NaN or infinite. The tail loads zeros past k, which the widening holds
// anyway; both extremes reduce in one shuffle tree (hi and -lo side by side).
HWY_INLINE bool ScanRange(const float* HWY_RESTRICT in, size_t k, float* lo, float* hi) {
  constexpr int kNonFinite = 0x01 | 0x08 | 0x10 | 0x80;  // fpclass: NaNs and infinities
  __m512 lo_v = _mm512_setzero_ps(), hi_v = _mm512_setzero_ps();
  __mmask16 non_finite = 0;
  for (size_t i = 0; i < k; i += 16) {
    const __mmask16 lanes = k - i >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << (k - i)) - 1);
    const __m512 v = _mm512_maskz_loadu_ps(lanes, in + i);
    lo_v = _mm512_min_ps(lo_v, v);
    hi_v = _mm512_max_ps(hi_v, v);
    non_finite |= _mm512_fpclass_ps_mask(v, kNonFinite);
  }
  const __m512 neg_lo = _mm512_sub_ps(_mm512_setzero_ps(), lo_v);
  // 128-bit blocks 0 and 1 reduce hi's, 2 and 3 -lo's.
  __m512 both = _mm512_max_ps(_mm512_shuffle_f32x4(hi_v, neg_lo, _MM_SHUFFLE(1, 0, 1, 0)),
                              _mm512_shuffle_f32x4(hi_v, neg_lo, _MM_SHUFFLE(3, 2, 3, 2)));
  both = _mm512_max_ps(both, _mm512_shuffle_f32x4(both, both, _MM_SHUFFLE(2, 3, 0, 1)));
  both = _mm512_max_ps(both, _mm512_permute_ps(both, _MM_SHUFFLE(1, 0, 3, 2)));
  both = _mm512_max_ps(both, _mm512_permute_ps(both, _MM_SHUFFLE(2, 3, 0, 1)));
  *hi = _mm512_cvtss_f32(both);
  *lo = -_mm_cvtss_f32(_mm512_extractf32x4_ps(both, 2));
  return non_finite == 0;
}
#else
// As above, in Highway's ops; the tail runs in scalar code.
HWY_INLINE bool ScanRange(const float* HWY_RESTRICT in, size_t k, float* lo, float* hi) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  auto lo_v = hn::Zero(d), hi_v = hn::Zero(d), deviations_v = hn::Zero(d);
  size_t i = 0;
  for (; i + lanes <= k; i += lanes) {
    const auto v = hn::LoadU(d, in + i);
    lo_v = hn::Min(lo_v, v);
    hi_v = hn::Max(hi_v, v);
    deviations_v = hn::Add(deviations_v, hn::Sub(v, v));  // NaN once a v is not finite
  }
  *lo = -ReduceMax(d, hn::Neg(lo_v));
  *hi = ReduceMax(d, hi_v);
  float deviations = ReduceSum(d, deviations_v);
  for (; i < k; ++i) {
    *lo = std::fmin(*lo, in[i]);
    *hi = std::fmax(*hi, in[i]);
    deviations += in[i] - in[i];
  }
  return deviations == 0.0f;
}
#endif  // HWY_TARGET == HWY_AVX3_DL

// The largest |v| of a row's k values, and the sum of v - v (0 when every
// value is finite, NaN otherwise).
HWY_INLINE void ScanRow(const float* HWY_RESTRICT in, size_t k, float* amax, float* non_finite) {
  float lo, hi;
  const bool finite = ScanRange(in, k, &lo, &hi);
  *non_finite = finite ? 0.0f : std::numeric_limits<float>::quiet_NaN();
  // 0 - lo, not -lo: a row of zeros may leave lo at +0, and an amax of -0
  // would make levels / amax -inf, which the FLT_MAX guard lets through.
  const float neg_lo = 0.0f - lo;
  *amax = hi > neg_lo ? hi : neg_lo;
}

// codes[i] = in[i] * multiplier rounded to the nearest integer (ties to
// even), for finite values that round into int16.
template <class D>
HWY_INLINE void RoundRow(D d, const float* HWY_RESTRICT in, size_t k, float multiplier,
                         int16_t* HWY_RESTRICT codes) {
  const hn::Rebind<int16_t, D> d16;
  const size_t lanes = hn::Lanes(d);
  const auto vmultiplier = hn::Set(d, multiplier);
  size_t i = 0;
  for (; i + lanes <= k; i += lanes) {
#if HWY_TARGET == HWY_AVX3_DL
    // |in * multiplier| <= the levels: NarrowCodes16's plain conversion.
    const __m512i rounded = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(in + i),
                                                             vmultiplier.raw));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(codes + i), _mm512_cvtsepi32_epi16(rounded));
#else
    const auto rounded = hn::NearestInt(hn::Mul(hn::LoadU(d, in + i), vmultiplier));
    hn::StoreU(hn::DemoteTo(d16, rounded), d16, codes + i);
#endif
  }
  for (; i < k; ++i) codes[i] = static_cast<int16_t>(std::nearbyint(in[i] * multiplier));
}

#if HWY_TARGET == HWY_AVX3_DL
// On AVX3_DL, X's whole blocks of kBlockRows rows keep their I8 codes in
// blocks too: group g of a block is 64 bytes holding codes 4g..4g+3 (8-bit)
// or 2g, 2g+1 (int16) of its 16 rows, row j at bytes 4j..4j+3, zeros past k
// (at K = 64 the sums across lanes cost more than the products). Block b
// takes the bytes of rows 16b..16b+15 (a group's 4 bytes a row hold 4 or 2
// codes, a row's stride 2 bytes a code); the rows past the last whole block
// keep the row layout.
// int16 codes go in blocks up to this K: the quantizer rounds a row on the
// stack before it spreads the pairs (at K = 384 blocks are 1.5% faster than
// row tiles, MiniLM-L6's K and V).
constexpr size_t kWideBlockedMaxK = 2048;
inline uint8_t* CodeBlock(const RowCodes& q, size_t row) {
  return q.NarrowCodes(row / kBlockRows * kBlockRows);
}
// Row r's code i (of `per_group` codes a group) in its block.
template <class T>
HWY_INLINE T* BlockedCode(const RowCodes& q, size_t r, size_t i, size_t per_group) {
  return reinterpret_cast<T*>(CodeBlock(q, r) + i / per_group * 64 + r % kBlockRows * 4) +
         i % per_group;
}
// The rows whose int16 codes go in blocks: the quantizer and the matmul
// agree through this one rule.
inline size_t WideBlockedRows(size_t m, size_t k) {
  return k <= kWideBlockedMaxK ? WholeBlockRows(m) : 0;
}
// Row r's k int16 codes (row_codes[k] free for an odd k's last pair) into
// its block, one scatter per 16 pairs.
inline void SpreadPairs(const RowCodes& q, size_t r, size_t k, int16_t* HWY_RESTRICT row_codes) {
  row_codes[k] = 0;
  const hn::Full512<int16_t> d16;
  const hn::Full512<int32_t> d32;
  const auto group_offsets = hn::Mul(hn::Iota(d32, 0), hn::Set(d32, 64));
  auto* HWY_RESTRICT first_group = reinterpret_cast<int32_t*>(BlockedCode<int16_t>(q, r, 0, 2));
  const size_t groups = (k + 1) / 2, lanes = hn::Lanes(d32);
  size_t g = 0;
  for (; g + lanes <= groups; g += lanes) {
    hn::ScatterOffset(hn::BitCast(d32, hn::LoadU(d16, row_codes + 2 * g)), d32,
                      first_group + g * 16, group_offsets);
  }
  for (; g < groups; ++g) std::memcpy(first_group + g * 16, row_codes + 2 * g, 4);
}
#endif  // HWY_TARGET == HWY_AVX3_DL

// Quantizes rows [begin, end) of X (k values each) into `q` by
// QuantizeActivationsRef's rule with RowActivationLevels(k) levels: one scale
// per row, codes zero-padded to the row stride.
inline void QuantizeActivationRows(const float* HWY_RESTRICT x, size_t begin, size_t end,
                                   size_t m, size_t k, const RowCodes& q) {
  [[maybe_unused]] const hn::ScalableTag<float> d;  // Cortex-M uses its own kernels
  const float levels = static_cast<float>(RowActivationLevels(k));
  for (size_t r = begin; r < end; ++r) {
    const float* HWY_RESTRICT in = x + r * k;
    float amax, non_finite;  // non_finite: the sum of v - v, 0 unless a v is not finite
#ifdef TINYENC_I8_M_PROFILE
    ScanRowMProfile(in, k, &amax, &non_finite);
#else
    ScanRow(in, k, &amax, &non_finite);
#endif
    int16_t* HWY_RESTRICT codes = q.Codes(r);
#if HWY_TARGET == HWY_AVX3_DL
    const bool blocked = r < WideBlockedRows(m, k);
#else
    (void)m;
#endif
    // As for blocks (F8): a row with NaN or infinity gets zero codes and a
    // NaN scale, so its outputs are NaN without NearestInt ever seeing it.
    if (non_finite != 0.0f) {
#if HWY_TARGET == HWY_AVX3_DL
      if (blocked) {
        for (size_t i = 0; i < k + k % 2; ++i) *BlockedCode<int16_t>(q, r, i, 2) = 0;
      } else
#endif
      {
        for (size_t i = 0; i < RowCodes::Stride(k); ++i) codes[i] = 0;
      }
      q.Scale(r) = std::numeric_limits<float>::quiet_NaN();
      continue;
    }
    // 0 for an all-zero row; a subnormal amax could make levels / amax
    // infinite, so such tiny rows get zero codes too.
    const float inverse = levels / amax;
    const float multiplier = inverse <= FLT_MAX ? inverse : 0.0f;
    q.Scale(r) = amax / levels;
#if HWY_TARGET == HWY_AVX3_DL
    if (blocked) {
      int16_t row_codes[kWideBlockedMaxK + 1];
      RoundRow(d, in, k, multiplier, row_codes);
      SpreadPairs(q, r, k, row_codes);
      continue;
    }
#endif
#ifdef TINYENC_I8_M_PROFILE
    RoundRowMProfile(in, k, multiplier, codes);
#else
    RoundRow(d, in, k, multiplier, codes);
#endif
    for (size_t i = k; i < RowCodes::Stride(k); ++i) codes[i] = 0;
  }
}

// 8-bit X codes only pay where an instruction multiplies bytes: AVX512-VNNI's
// vpdpbusd, Helium's vmladava on bytes (both twice their 16-bit rate), Arm's
// SDOT (four times smlal's).
#if (defined(TINYENC_I8_M_PROFILE) && defined(__ARM_FEATURE_MVE)) || defined(TINYENC_ARM_SDOT)
constexpr bool kByteDotProducts = true;
#else
constexpr bool kByteDotProducts = HWY_TARGET == HWY_AVX3_DL;
#endif
inline bool NarrowsActivations(const WeightMatrix& w) {
  return kByteDotProducts && w.type == WeightType::kI8 && w.narrow_activations &&
         w.cols <= kNarrowMaxK;
}

// A row's 8-bit coding (matmul.h): u = round(x * multiplier) + zero,
// saturated to [0, 255], with one scale and zero point per row; not finite
// when a value is NaN or infinite (then zero codes and a NaN scale, as the
// int16 rows).
struct NarrowCoding {
  bool finite;
  float multiplier, scale;
  int32_t zero;
};
HWY_INLINE NarrowCoding NarrowCodingOf(const float* HWY_RESTRICT in, size_t k) {
  float lo, hi;
  if (!ScanRange(in, k, &lo, &hi)) {
    return {false, 0.0f, std::numeric_limits<float>::quiet_NaN(), 0};
  }
  const NarrowRange c = NarrowRangeOf(lo, hi);
  return {true, c.multiplier, c.scale, c.zero};
}
// One value's code, for the tails the vector loops leave.
HWY_INLINE uint8_t NarrowCode(float v, const NarrowCoding& c) {
  const int32_t code = static_cast<int32_t>(std::nearbyint(v * c.multiplier)) + c.zero;
  return static_cast<uint8_t>(code < 0 ? 0 : code > 255 ? 255 : code);
}

#if HWY_TARGET == HWY_AVX3_DL
// The codes of in[0, 16). |x * multiplier| <= 255 for a finite row, so the
// conversion (to nearest, ties to even, as nearbyint) needs none of
// NearestInt's overflow fixes, and the clamp at 0 lets the unsigned
// saturating narrowing give DemoteTo's codes in one instruction.
HWY_INLINE hn::Vec<hn::Rebind<uint8_t, hn::Full512<float>>> NarrowCodes16(
    const float* HWY_RESTRICT in, const NarrowCoding& c) {
  const __m512i rounded =
      _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(in), _mm512_set1_ps(c.multiplier)));
  const __m512i codes = _mm512_add_epi32(rounded, _mm512_set1_epi32(c.zero));
  return hn::Vec<hn::Rebind<uint8_t, hn::Full512<float>>>{
      _mm512_cvtusepi32_epi8(_mm512_max_epi32(codes, _mm512_setzero_si512()))};
}

// Row r's 8-bit codes by its coding c: put16(i, v) stores the codes of values
// [i, i + 16) (i a multiple of 16), put(i, u) one.
template <class Put16, class Put>
HWY_INLINE void QuantizeNarrowRow(const float* HWY_RESTRICT in, size_t k, size_t r,
                                  const NarrowCoding& c, const RowCodes& q, const Put16& put16,
                                  const Put& put) {
  q.Zero(r) = c.zero;
  q.Scale(r) = c.scale;
  size_t i = 0;
  if (c.finite) {
    for (; i + 16 <= k; i += 16) put16(i, NarrowCodes16(in + i, c));
  }
  for (; i < k; ++i) put(i, c.finite ? NarrowCode(in[i], c) : 0);
}

// Four rows from r (r % 4 == 0, in one whole block, every value finite) in
// blocks: a group's 16 bytes hold the four rows' codes side by side, so a 4
// x 4 transpose of 32-bit groups stores each group whole. Zeros past k.
HWY_INLINE void QuantizeNarrowFourRows(const float* HWY_RESTRICT x, size_t k, size_t r,
                                       const NarrowCoding (&c)[4], const RowCodes& q) {
  size_t i = 0;
  for (; i + 16 <= k; i += 16) {
    __m128i codes[4];
    for (size_t j = 0; j < 4; ++j) codes[j] = NarrowCodes16(x + (r + j) * k + i, c[j]).raw;
    const __m128i low01 = _mm_unpacklo_epi32(codes[0], codes[1]);
    const __m128i high01 = _mm_unpackhi_epi32(codes[0], codes[1]);
    const __m128i low23 = _mm_unpacklo_epi32(codes[2], codes[3]);
    const __m128i high23 = _mm_unpackhi_epi32(codes[2], codes[3]);
    const __m128i groups[4] = {
        _mm_unpacklo_epi64(low01, low23), _mm_unpackhi_epi64(low01, low23),
        _mm_unpacklo_epi64(high01, high23), _mm_unpackhi_epi64(high01, high23)};
    for (size_t g = 0; g < 4; ++g) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(BlockedCode<uint8_t>(q, r, i + 4 * g, 4)),
                       groups[g]);
    }
  }
  for (size_t j = 0; j < 4; ++j) {
    for (size_t t = i; t < k || t % 4 != 0; ++t) {
      *BlockedCode<uint8_t>(q, r + j, t, 4) = t < k ? NarrowCode(x[(r + j) * k + t], c[j]) : 0;
    }
    q.Zero(r + j) = c[j].zero;
    q.Scale(r + j) = c[j].scale;
  }
}

// Rows [begin, end) of X's m rows as 8-bit codes: in blocks (above) or,
// past the whole blocks, contiguous at NarrowCodes(r).
inline void QuantizeNarrowRows(const float* HWY_RESTRICT x, size_t begin, size_t end, size_t m,
                               size_t k, const RowCodes& q) {
  const hn::Rebind<uint8_t, hn::Full512<float>> du8;
  using Codes16 = hn::Vec<decltype(du8)>;
  const size_t blocked_end = end < WholeBlockRows(m) ? end : WholeBlockRows(m);
  // Row r (in a whole block) by its coding c, zeros past k.
  const auto blocked_row = [&](size_t r, const NarrowCoding& c) {
    const auto put = [&](size_t i, uint8_t u) TINYENC_INLINE_LAMBDA {
      *BlockedCode<uint8_t>(q, r, i, 4) = u;
    };
    QuantizeNarrowRow(
        x + r * k, k, r, c, q,
        [&](size_t i, Codes16 v) TINYENC_INLINE_LAMBDA {
          uint8_t four_groups[16];
          hn::StoreU(v, du8, four_groups);
          for (size_t j = 0; j < 16; j += 4) {
            std::memcpy(BlockedCode<uint8_t>(q, r, i + j, 4), four_groups + j, 4);
          }
        },
        put);
    for (size_t i = k; i % 4 != 0; ++i) put(i, 0);
  };
  for (size_t r = begin; r < end; ++r) {
    if (r < blocked_end && r % 4 == 0 && r + 4 <= blocked_end) {
      const NarrowCoding c[4] = {
          NarrowCodingOf(x + r * k, k), NarrowCodingOf(x + (r + 1) * k, k),
          NarrowCodingOf(x + (r + 2) * k, k), NarrowCodingOf(x + (r + 3) * k, k)};
      if (c[0].finite && c[1].finite && c[2].finite && c[3].finite) {
        QuantizeNarrowFourRows(x, k, r, c, q);
      } else {
        for (size_t j = 0; j < 4; ++j) blocked_row(r + j, c[j]);
      }
      r += 3;
    } else if (r < blocked_end) {
      blocked_row(r, NarrowCodingOf(x + r * k, k));
    } else {
      uint8_t* HWY_RESTRICT codes = q.NarrowCodes(r);
      QuantizeNarrowRow(
          x + r * k, k, r, NarrowCodingOf(x + r * k, k), q,
          [&](size_t i, Codes16 v) TINYENC_INLINE_LAMBDA { hn::StoreU(v, du8, codes + i); },
          [&](size_t i, uint8_t u) TINYENC_INLINE_LAMBDA { codes[i] = u; });
    }
  }
}
#endif  // HWY_TARGET == HWY_AVX3_DL

#ifdef TINYENC_ARM_SDOT
// Row r of X in 8 bits for SDOT, which multiplies signed bytes: the codes u
// of the rule above (NarrowRangeOf) stored as u - 128, and Zero(r) as z -
// 128, so dot - Zero(r) * sum w is sum (u - z) w as for AVX3_DL's unsigned
// codes. A row with NaN or infinity gets zero codes and a NaN scale.
inline void QuantizeSignedNarrowRow(const float* HWY_RESTRICT in, size_t k, const RowCodes& q,
                                    size_t r) {
  constexpr int32_t kOffset = 128;
  const NarrowCoding c = NarrowCodingOf(in, k);
  q.Scale(r) = c.scale;
  q.Zero(r) = c.zero - kOffset;
  auto* HWY_RESTRICT codes = reinterpret_cast<int8_t*>(q.NarrowCodes(r));
  size_t i = 0;
  if (c.finite) {
    // |in * multiplier| <= 255: NearestInt (ties to even, as nearbyint)
    // cannot overflow, and the clamp to the codes' range makes the
    // narrowing exact.
    const hn::ScalableTag<float> d;
    const hn::RebindToSigned<decltype(d)> di;
    const hn::Rebind<int8_t, decltype(d)> d8;
    const size_t lanes = hn::Lanes(d);
    const auto multiplier = hn::Set(d, c.multiplier);
    const auto shift = hn::Set(di, c.zero - kOffset);
    const auto low = hn::Set(di, -kOffset), high = hn::Set(di, 255 - kOffset);
    for (; i + lanes <= k; i += lanes) {
      const auto u = hn::Add(hn::NearestInt(hn::Mul(hn::LoadU(d, in + i), multiplier)), shift);
      hn::StoreU(hn::DemoteTo(d8, hn::Min(hn::Max(u, low), high)), d8, codes + i);
    }
  }
  for (; i < k; ++i) {
    codes[i] = static_cast<int8_t>((c.finite ? NarrowCode(in[i], c) : 0) - kOffset);
  }
}
#endif  // TINYENC_ARM_SDOT

#undef TINYENC_ROW_DOT_ATTR  // this header is compiled once per target
#if HWY_TARGET == HWY_AVX3_DL
// Highway 1.0.3's AVX3_DL target lacks avx512vnni (it names avxvnni, the
// VEX form Zen 4 lacks), so the tile enables it itself, and is not inlined
// into callers without it.
#define TINYENC_ROW_DOT_ATTR inline HWY_NOINLINE __attribute__((target("avx512vnni")))
#else
#define TINYENC_ROW_DOT_ATTR HWY_INLINE
#endif

// dots[r][c] = exact integer dot product of X row r's codes (x[r]: int16,
// or SDOT's signed 8-bit ones) and W row c's codes over k values;
// RowActivationLevels (kNarrowMaxK for bytes) keeps every partial sum in
// i32. The vector loop leaves fewer values than one step to AddRowDotTail.
template <size_t kRows, class XCode>
TINYENC_ROW_DOT_ATTR void RowDotTile(const XCode* const (&x)[4],
                                     const int8_t* const (&w)[kTileCols], size_t k,
                                     int32_t (&dots)[kRows][kTileCols]) {
  constexpr bool kBytes = sizeof(XCode) == 1;
  const hn::ScalableTag<XCode> dx;
  const hn::Repartition<int32_t, decltype(dx)> d32;
  const hn::Rebind<int8_t, decltype(dx)> d8;
  const size_t lanes = hn::Lanes(dx);
  size_t i = 0;
#if HWY_TARGET == HWY_AVX3_DL
#define TINYENC_ROW_MAC(s, t, xv, wv) s.raw = _mm512_dpwssd_epi32(s.raw, xv.raw, wv.raw)
#elif defined(TINYENC_ARM_SDOT)
#define TINYENC_ROW_MAC(s, t, xv, wv)                     \
  if constexpr (kBytes) {                                 \
    s = DotBytes(s, xv, wv);                              \
  } else {                                                \
    s = hn::ReorderWidenMulAccumulate(d32, xv, wv, s, t); \
  }
#else
  // pmaddwd on x86, smlal pairs on Arm.
#define TINYENC_ROW_MAC(s, t, xv, wv) s = hn::ReorderWidenMulAccumulate(d32, xv, wv, s, t)
#endif
  // W's codes as X's: bytes as they are, or widened to int16.
  const auto load_w = [&](const int8_t* HWY_RESTRICT row) TINYENC_INLINE_LAMBDA {
    if constexpr (kBytes) {
      return hn::LoadU(d8, row + i);
    } else {
      return hn::PromoteTo(dx, hn::LoadU(d8, row + i));
    }
  };
  auto s00 = hn::Zero(d32), s01 = hn::Zero(d32), s02 = hn::Zero(d32), s03 = hn::Zero(d32);
  auto s10 = hn::Zero(d32), s11 = hn::Zero(d32), s12 = hn::Zero(d32), s13 = hn::Zero(d32);
  auto s20 = hn::Zero(d32), s21 = hn::Zero(d32), s22 = hn::Zero(d32), s23 = hn::Zero(d32);
  auto s30 = hn::Zero(d32), s31 = hn::Zero(d32), s32 = hn::Zero(d32), s33 = hn::Zero(d32);
  auto t00 = hn::Zero(d32), t01 = hn::Zero(d32), t02 = hn::Zero(d32), t03 = hn::Zero(d32);
  auto t10 = hn::Zero(d32), t11 = hn::Zero(d32), t12 = hn::Zero(d32), t13 = hn::Zero(d32);
  auto t20 = hn::Zero(d32), t21 = hn::Zero(d32), t22 = hn::Zero(d32), t23 = hn::Zero(d32);
  auto t30 = hn::Zero(d32), t31 = hn::Zero(d32), t32 = hn::Zero(d32), t33 = hn::Zero(d32);
  for (; i + lanes <= k; i += lanes) {
    const auto w0 = load_w(w[0]);
    const auto w1 = load_w(w[1]);
    const auto w2 = load_w(w[2]);
    const auto w3 = load_w(w[3]);
    auto xv = hn::LoadU(dx, x[0] + i);
    TINYENC_ROW_MAC(s00, t00, xv, w0);
    TINYENC_ROW_MAC(s01, t01, xv, w1);
    TINYENC_ROW_MAC(s02, t02, xv, w2);
    TINYENC_ROW_MAC(s03, t03, xv, w3);
    if constexpr (kRows > 1) {
      xv = hn::LoadU(dx, x[1] + i);
      TINYENC_ROW_MAC(s10, t10, xv, w0);
      TINYENC_ROW_MAC(s11, t11, xv, w1);
      TINYENC_ROW_MAC(s12, t12, xv, w2);
      TINYENC_ROW_MAC(s13, t13, xv, w3);
    }
    if constexpr (kRows > 2) {
      xv = hn::LoadU(dx, x[2] + i);
      TINYENC_ROW_MAC(s20, t20, xv, w0);
      TINYENC_ROW_MAC(s21, t21, xv, w1);
      TINYENC_ROW_MAC(s22, t22, xv, w2);
      TINYENC_ROW_MAC(s23, t23, xv, w3);
    }
    if constexpr (kRows > 3) {
      xv = hn::LoadU(dx, x[3] + i);
      TINYENC_ROW_MAC(s30, t30, xv, w0);
      TINYENC_ROW_MAC(s31, t31, xv, w1);
      TINYENC_ROW_MAC(s32, t32, xv, w2);
      TINYENC_ROW_MAC(s33, t33, xv, w3);
    }
  }
#undef TINYENC_ROW_MAC
  ReduceTile<kRows>(d32, hn::Add(s00, t00), hn::Add(s01, t01), hn::Add(s02, t02),
                    hn::Add(s03, t03), hn::Add(s10, t10), hn::Add(s11, t11), hn::Add(s12, t12),
                    hn::Add(s13, t13), hn::Add(s20, t20), hn::Add(s21, t21), hn::Add(s22, t22),
                    hn::Add(s23, t23), hn::Add(s30, t30), hn::Add(s31, t31), hn::Add(s32, t32),
                    hn::Add(s33, t33), dots);
  if (i < k) AddRowDotTail(x, kRows, w, i, k, &dots[0][0]);
}

#if HWY_TARGET == HWY_AVX3_DL
// dots[r][c] = sum of X row r's 8-bit codes times W row c's codes over k
// values, one vpdpbusd per 64 products (the i32 bound is kNarrowMaxK).
template <size_t kRows>
TINYENC_ROW_DOT_ATTR void NarrowRowDotTile(const uint8_t* const (&x)[4],
                                           const int8_t* const (&w)[kTileCols], size_t k,
                                           int32_t (&dots)[kRows][kTileCols]) {
  const hn::Full512<uint8_t> du8;
  const hn::Full512<int8_t> d8;
  const hn::Full512<int32_t> d32;
  const size_t lanes = hn::Lanes(du8);
  size_t i = 0;
  auto s00 = hn::Zero(d32), s01 = hn::Zero(d32), s02 = hn::Zero(d32), s03 = hn::Zero(d32);
  auto s10 = hn::Zero(d32), s11 = hn::Zero(d32), s12 = hn::Zero(d32), s13 = hn::Zero(d32);
  auto s20 = hn::Zero(d32), s21 = hn::Zero(d32), s22 = hn::Zero(d32), s23 = hn::Zero(d32);
  auto s30 = hn::Zero(d32), s31 = hn::Zero(d32), s32 = hn::Zero(d32), s33 = hn::Zero(d32);
  for (; i + lanes <= k; i += lanes) {
    const auto w0 = hn::LoadU(d8, w[0] + i);
    const auto w1 = hn::LoadU(d8, w[1] + i);
    const auto w2 = hn::LoadU(d8, w[2] + i);
    const auto w3 = hn::LoadU(d8, w[3] + i);
    // One X row against the four W rows.
    const auto row = [&](const uint8_t* x_row, auto& a0, auto& a1, auto& a2, auto& a3)
                         TINYENC_INLINE_LAMBDA {
                           const auto xv = hn::LoadU(du8, x_row + i);
                           a0 = DotBytes(a0, xv, w0);
                           a1 = DotBytes(a1, xv, w1);
                           a2 = DotBytes(a2, xv, w2);
                           a3 = DotBytes(a3, xv, w3);
                         };
    row(x[0], s00, s01, s02, s03);
    if constexpr (kRows > 1) row(x[1], s10, s11, s12, s13);
    if constexpr (kRows > 2) row(x[2], s20, s21, s22, s23);
    if constexpr (kRows > 3) row(x[3], s30, s31, s32, s33);
  }
  ReduceTile<kRows>(d32, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31,
                    s32, s33, dots);
  if (i < k) AddRowDotTail(x, kRows, w, i, k, &dots[0][0]);
}

#endif  // HWY_TARGET == HWY_AVX3_DL

#if HWY_TARGET == HWY_AVX3_DL || defined(TINYENC_ARM_SDOT)
// sums[c] = the sum of W row c's codes, for `rows` rows of k codes from w:
// the zero points' share of the 8-bit dot products.
TINYENC_ROW_DOT_ATTR void WeightRowSums(const int8_t* HWY_RESTRICT w, size_t rows, size_t k,
                                        int32_t* HWY_RESTRICT sums) {
#if HWY_TARGET == HWY_AVX3_DL
  const hn::Full512<int8_t> d8;
  const auto ones = hn::Set(hn::Full512<uint8_t>(), 1);  // vpdpbusd's unsigned operand
#else
  const hn::ScalableTag<int8_t> d8;
  const auto ones = hn::Set(d8, 1);
#endif
  const hn::Repartition<int32_t, decltype(d8)> d32;
  const size_t lanes = hn::Lanes(d8);
  for (size_t c = 0; c < rows; ++c) {
    const int8_t* HWY_RESTRICT row = w + c * k;
    auto sum = hn::Zero(d32);
    size_t i = 0;
    for (; i + lanes <= k; i += lanes) sum = DotBytes(sum, ones, hn::LoadU(d8, row + i));
    sums[c] = ReduceSum(d32, sum);
    for (; i < k; ++i) sums[c] += row[i];
  }
}

// The file's row sums (exact integers in f32) as the kernels' int32.
HWY_INLINE void FileRowSums(const float* HWY_RESTRICT in, size_t rows,
                            int32_t* HWY_RESTRICT sums) {
  for (size_t c = 0; c < rows; ++c) sums[c] = static_cast<int32_t>(in[c]);
}
#endif  // HWY_TARGET == HWY_AVX3_DL || defined(TINYENC_ARM_SDOT)

#if HWY_TARGET == HWY_AVX3_DL
// The two codings of blocked X: codes a 4-byte group holds, W's matching
// codes as 4 bytes a group (to broadcast from memory; zeros past k), and the
// product.
struct NarrowGroups {
  static constexpr size_t kCodes = 4;
  // W's own bytes where the chunk is whole groups; else a zero-padded copy.
  static const uint8_t* Stage(const int8_t* HWY_RESTRICT row, size_t count,
                              int32_t* HWY_RESTRICT staged) {
    if (count % kCodes == 0) return reinterpret_cast<const uint8_t*>(row);
    staged[count / kCodes] = 0;
    std::memcpy(staged, row, count);
    return reinterpret_cast<const uint8_t*>(staged);
  }
  static hn::Vec512<int32_t> Mac(hn::Vec512<int32_t> acc, hn::Vec512<uint8_t> x,
                                 hn::Vec512<int32_t> w) {
    return DotBytes(acc, x, hn::BitCast(hn::Full512<int8_t>(), w));
  }
};
struct WideGroups {
  static constexpr size_t kCodes = 2;
  static const uint8_t* Stage(const int8_t* HWY_RESTRICT row, size_t count,
                              int32_t* HWY_RESTRICT staged) {
    const hn::Full512<int16_t> d16;
    const hn::Rebind<int8_t, decltype(d16)> d8;
    auto* HWY_RESTRICT pairs = reinterpret_cast<int16_t*>(staged);
    const size_t lanes = hn::Lanes(d16);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      hn::StoreU(hn::PromoteTo(d16, hn::LoadU(d8, row + i)), d16, pairs + i);
    }
    for (; i < count; ++i) pairs[i] = row[i];
    pairs[count] = 0;  // an odd count's last pair
    return reinterpret_cast<const uint8_t*>(staged);
  }
  static hn::Vec512<int32_t> Mac(hn::Vec512<int32_t> acc, hn::Vec512<uint8_t> x,
                                 hn::Vec512<int32_t> w) {
    // As DotBytes: vpdpwssd, i16 pairs, outside the tile's target attribute.
    asm("vpdpwssd %2, %1, %0" : "+v"(acc.raw) : "v"(x.raw), "v"(w.raw));
    return acc;
  }
};

// Y's rows [row_begin, row_end) among rows r0..r0 + 15 and columns [0,
// cols), cols <= 8, from out[c], whose lane j is row r0 + j of column c: an
// 8 x 16 transpose makes rows of 8 columns (128-bit blocks of 4 columns,
// then pairs of blocks).
HWY_INLINE void StoreBlockColumns(const __m512 (&out)[8], size_t r0, size_t row_begin,
                                  size_t row_end, size_t cols, float* HWY_RESTRICT y,
                                  size_t ldy) {
  const __m512i first_halves =
      _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
  const __m512i second_halves =
      _mm512_setr_epi32(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
  const __mmask8 col_mask = static_cast<__mmask8>((1u << cols) - 1);
  __m512 pairs[8];  // block b: rows 4b + {0, 1} (even c) or {2, 3} (odd c)
  for (size_t c = 0; c < 8; c += 2) {
    pairs[c] = _mm512_unpacklo_ps(out[c], out[c + 1]);
    pairs[c + 1] = _mm512_unpackhi_ps(out[c], out[c + 1]);
  }
  for (size_t j = 0; j < 4; ++j) {  // rows 4b + j, columns 0-3 (left) and 4-7 (right)
    const auto quad = [&](size_t c0) {
      const __m512d a = _mm512_castps_pd(pairs[c0 + j / 2]);
      const __m512d b = _mm512_castps_pd(pairs[c0 + 2 + j / 2]);
      return _mm512_castpd_ps(j % 2 == 0 ? _mm512_unpacklo_pd(a, b) : _mm512_unpackhi_pd(a, b));
    };
    const __m512 left = quad(0), right = quad(4);
    const __m512 lower = _mm512_permutex2var_ps(left, first_halves, right);
    const __m512 upper = _mm512_permutex2var_ps(left, second_halves, right);
    const __m256 row_values[4] = {_mm512_castps512_ps256(lower), _mm512_extractf32x8_ps(lower, 1),
                                  _mm512_castps512_ps256(upper), _mm512_extractf32x8_ps(upper, 1)};
    for (size_t b = 0; b < 4; ++b) {
      const size_t row = r0 + 4 * b + j;
      if (row < row_begin || row >= row_end) continue;
      _mm256_mask_storeu_ps(y + row * ldy, col_mask, row_values[b]);
    }
  }
}

// Y rows [row_begin, row_end) (within the kVecs blocks from X row
// block_row, a multiple of kBlockRows) and columns [0, cols), cols <= 8, from
// W rows w (k codes each): (dot - X zero point * row_sums[c]) * X scale *
// w_scales[c] + bias[c] (no zero points without row_sums), in ScaleRowDots'
// and StoreTile's order, so the outputs are the row tiles' bits.
template <size_t kVecs, class Groups>
TINYENC_ROW_DOT_ATTR void BlockedTile(const RowCodes& q, size_t block_row, size_t row_begin,
                                      size_t row_end, const int8_t* HWY_RESTRICT w, size_t k,
                                      size_t cols, const int32_t* HWY_RESTRICT row_sums,
                                      const float* HWY_RESTRICT w_scales,
                                      const float* HWY_RESTRICT bias, float* HWY_RESTRICT y,
                                      size_t ldy) {
  constexpr size_t kCols = 8, kCodes = Groups::kCodes;
  const hn::Full512<uint8_t> du8;
  const hn::Full512<int32_t> d32;
  const uint8_t* HWY_RESTRICT x = CodeBlock(q, block_row);
  const size_t block_stride = kBlockRows * RowCodes::Stride(k) * sizeof(int16_t);
  hn::Vec512<int32_t> acc[kVecs][kCols];
  for (size_t v = 0; v < kVecs; ++v) {
    for (size_t c = 0; c < kCols; ++c) acc[v][c] = hn::Zero(d32);
  }
  // W's codes a chunk at a time, in groups (staged on the stack where needed).
  constexpr size_t kChunk = 512;
  int32_t staged[kCols][kChunk / kCodes + 1];
  for (size_t first = 0; first < k; first += kChunk) {
    const size_t count = k - first < kChunk ? k - first : kChunk;
    const uint8_t* HWY_RESTRICT groups[kCols];
    for (size_t c = 0; c < kCols; ++c) {
      groups[c] = Groups::Stage(w + (c < cols ? c : cols - 1) * k + first, count, staged[c]);
    }
    const uint8_t* HWY_RESTRICT chunk = x + first / kCodes * 64;
    for (size_t g = 0; g < (count + kCodes - 1) / kCodes; ++g) {
      hn::Vec512<uint8_t> xv[kVecs];
      for (size_t v = 0; v < kVecs; ++v) xv[v] = hn::Load(du8, chunk + v * block_stride + g * 64);
      for (size_t c = 0; c < kCols; ++c) {
        int32_t four;
        std::memcpy(&four, groups[c] + 4 * g, 4);
        const auto wv = hn::Set(d32, four);
        for (size_t v = 0; v < kVecs; ++v) acc[v][c] = Groups::Mac(acc[v][c], xv[v], wv);
      }
    }
  }
  for (size_t v = 0; v < kVecs; ++v) {
    const size_t r0 = block_row + v * kBlockRows;
    const __m512i zeros =
        row_sums != nullptr ? _mm512_loadu_si512(&q.Zero(r0)) : _mm512_setzero_si512();
    const __m512 scales = _mm512_loadu_ps(&q.Scale(r0));
    __m512 out[kCols];
    for (size_t c = 0; c < kCols; ++c) {
      const size_t cc = c < cols ? c : cols - 1;  // the edge repeats its last column
      const __m512i dot = _mm512_sub_epi32(
          acc[v][c].raw,
          _mm512_mullo_epi32(zeros, _mm512_set1_epi32(row_sums != nullptr ? row_sums[cc] : 0)));
      const __m512 scale = _mm512_mul_ps(scales, _mm512_set1_ps(w_scales[cc]));
      out[c] = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(dot), scale),
                             _mm512_set1_ps(bias != nullptr ? bias[cc] : 0.0f));
    }
    StoreBlockColumns(out, r0, row_begin, row_end, cols, y, ldy);
  }
}

// Y rows [row_begin, row_end) (whole blocks' rows) and `columns` columns by
// BlockedTile: two blocks at a time, and one.
template <class Groups>
inline void BlockedSweep(const RowCodes& q, size_t row_begin, size_t row_end, const int8_t* w,
                         size_t k, size_t columns, const int32_t* row_sums,
                         const float* w_scales, const float* bias, float* y, size_t ldy) {
  constexpr size_t kCols = 8;
  const size_t first_block = row_begin / kBlockRows * kBlockRows;
  for (size_t col = 0; col < columns; col += kCols) {
    const size_t cols = columns - col < kCols ? columns - col : kCols;
    const float* col_bias = bias != nullptr ? bias + col : nullptr;
    const int32_t* col_sums = row_sums != nullptr ? row_sums + col : nullptr;
    size_t r = first_block;
    for (; r + kBlockRows < row_end; r += 2 * kBlockRows) {
      BlockedTile<2, Groups>(q, r, row_begin, row_end, w + col * k, k, cols, col_sums,
                             w_scales + col, col_bias, y + col, ldy);
    }
    if (r < row_end) {
      BlockedTile<1, Groups>(q, r, row_begin, row_end, w + col * k, k, cols, col_sums,
                             w_scales + col, col_bias, y + col, ldy);
    }
  }
}

// Q8_0 and Q4_0 on AVX3_DL: X's codes in blocks of 16 rows (signed),
// against W's codes staged on the stack as unsigned bytes (code + 128) with
// their scales in f32, a chunk of blocks at a time for up to
// kQuantGroupBlocks blocks of rows: staged once, a chunk serves them all.
constexpr size_t kQuantChunkBlocks = 16;
constexpr size_t kQuantGroupBlocks = 8;
constexpr int32_t kStagedCodeOffset = 128;

// A W block's 32 codes + 128, as unsigned bytes.
HWY_INLINE __m256i BlockCodes(const BlockQ8_0& block) {
  const __m256i signed_codes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block.qs));
  return _mm256_xor_si256(signed_codes, _mm256_set1_epi8(-128));
}
HWY_INLINE __m256i BlockCodes(const BlockQ4_0& block) {
  // Nibbles hold code + 8: low nibbles codes 0-15, high nibbles 16-31.
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block.qs));
  const __m128i nibble = _mm_set1_epi8(15), offset = _mm_set1_epi8(kStagedCodeOffset - 8);
  return _mm256_set_m128i(_mm_add_epi8(_mm_and_si128(_mm_srli_epi16(bytes, 4), nibble), offset),
                          _mm_add_epi8(_mm_and_si128(bytes, nibble), offset));
}

// Y rows [row_begin, row_end) within X's blocks of rows from group_row (a
// multiple of kBlockRows; at most kQuantGroupBlocks blocks) and columns [0,
// cols), cols <= 8, from W rows w (k / 32 blocks each): every output sums
// float(block dot) * (X block scale * W block scale) over the blocks in
// order, then adds its bias. Each lane is one output's own sum, so any split
// of rows or columns gives the same bits.
template <class Block>
TINYENC_ROW_DOT_ATTR void BlockedQuantColumns(const QuantizedRows& q, size_t m, size_t k,
                                              size_t group_row, size_t row_begin,
                                              size_t row_end, const Block* HWY_RESTRICT w,
                                              size_t cols, const float* HWY_RESTRICT bias,
                                              float* HWY_RESTRICT y, size_t ldy) {
  constexpr size_t kCols = 8;
  const size_t blocks = k / kQuantBlock;
  const size_t group_end = row_end - group_row < kQuantGroupBlocks * kBlockRows
                               ? row_end
                               : group_row + kQuantGroupBlocks * kBlockRows;
  const size_t row_blocks = (group_end - group_row + kBlockRows - 1) / kBlockRows;
  __m512 sums[kQuantGroupBlocks][kCols];
  alignas(64) uint8_t staged[kCols][kQuantChunkBlocks * kQuantBlock];
  float staged_scales[kCols][kQuantChunkBlocks];
  for (size_t chunk = 0; chunk < blocks; chunk += kQuantChunkBlocks) {
    const size_t count = blocks - chunk < kQuantChunkBlocks ? blocks - chunk : kQuantChunkBlocks;
    for (size_t c = 0; c < kCols; ++c) {
      const Block* HWY_RESTRICT row = w + (c < cols ? c : cols - 1) * blocks + chunk;
      for (size_t b = 0; b < count; ++b) {
        _mm256_store_si256(reinterpret_cast<__m256i*>(staged[c] + b * kQuantBlock),
                           BlockCodes(row[b]));
        staged_scales[c][b] = BlockScale(&row[b]);
      }
    }
    for (size_t v = 0; v < row_blocks; ++v) {
      const size_t r0 = group_row + v * kBlockRows, rows = BlockRowCount(r0, m);
      const __mmask16 lanes = static_cast<__mmask16>((1u << rows) - 1);
      __m512 acc[kCols];
      for (size_t c = 0; c < kCols; ++c) acc[c] = chunk == 0 ? _mm512_setzero_ps() : sums[v][c];
      for (size_t b = 0; b < count; ++b) {
        const size_t block = chunk + b;
        // Staged codes carry +128: 128 * the X codes' sum comes off first.
        const __m512i start = _mm512_mullo_epi32(
            _mm512_maskz_loadu_epi32(lanes, q.Sums(r0) + block * rows),
            _mm512_set1_epi32(-kStagedCodeOffset));
        hn::Vec512<int32_t> dots[kCols];
        for (size_t c = 0; c < kCols; ++c) dots[c].raw = start;
        const int8_t* HWY_RESTRICT groups = q.Codes(r0) + block * kQuantBlock * rows;
        for (size_t g = 0; g < kQuantBlock / 4; ++g) {
          const hn::Vec512<int8_t> xv{_mm512_maskz_loadu_epi32(lanes, groups + 4 * g * rows)};
          for (size_t c = 0; c < kCols; ++c) {
            int32_t four;
            std::memcpy(&four, staged[c] + b * kQuantBlock + 4 * g, 4);
            dots[c] = DotBytes(dots[c], hn::Vec512<uint8_t>{_mm512_set1_epi32(four)}, xv);
          }
        }
        const __m512 x_scales = _mm512_maskz_loadu_ps(lanes, q.Scales(r0) + block * rows);
        for (size_t c = 0; c < kCols; ++c) {
          acc[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots[c].raw),
                                   _mm512_mul_ps(x_scales, _mm512_set1_ps(staged_scales[c][b])),
                                   acc[c]);
        }
      }
      for (size_t c = 0; c < kCols; ++c) sums[v][c] = acc[c];
    }
  }
  for (size_t v = 0; v < row_blocks; ++v) {
    __m512 out[kCols];
    for (size_t c = 0; c < kCols; ++c) {
      const float b = bias != nullptr ? bias[c < cols ? c : cols - 1] : 0.0f;
      out[c] = _mm512_add_ps(sums[v][c], _mm512_set1_ps(b));
    }
    StoreBlockColumns(out, group_row + v * kBlockRows, row_begin, row_end, cols, y, ldy);
  }
}

// Y rows [row_begin, row_end) (from FirstFewRow, row layout) and columns [0,
// columns) from W rows w (k / 32 blocks each), four columns at a time: one
// vpdpbusd per column and pair of blocks, the block dots' lanes summed for
// the four columns together, then BlockedQuantColumns' float steps in the
// same order, so a row gets the same bits here as in a block's lane.
template <class Block>
TINYENC_ROW_DOT_ATTR void FewQuantRows(const QuantizedRows& q, size_t k, size_t row_begin,
                                       size_t row_end, const Block* HWY_RESTRICT w,
                                       size_t columns, const float* HWY_RESTRICT bias,
                                       float* HWY_RESTRICT y, size_t ldy) {
  const hn::Full512<int32_t> d32;
  const size_t blocks = k / kQuantBlock;
  for (size_t col = 0; col < columns; col += kTileCols) {
    const size_t cols = columns - col < kTileCols ? columns - col : kTileCols;
    const Block* rows[kTileCols];
    for (size_t c = 0; c < kTileCols; ++c) rows[c] = w + (col + (c < cols ? c : cols - 1)) * blocks;
    for (size_t r = row_begin; r < row_end; ++r) {
      const int8_t* HWY_RESTRICT x = q.Codes(r);
      const float* HWY_RESTRICT x_scales = q.Scales(r);
      const int32_t* HWY_RESTRICT x_sums = q.Sums(r);
      __m128 acc = _mm_setzero_ps();
      // Block b's dots of the four columns (lanes), scaled into acc.
      const auto step = [&](__m128i codes_dots, size_t b) TINYENC_INLINE_LAMBDA {
        const __m128i dots =
            _mm_sub_epi32(codes_dots, _mm_set1_epi32(kStagedCodeOffset * x_sums[b]));
        uint16_t bits[kTileCols];
        for (size_t c = 0; c < kTileCols; ++c) {
          std::memcpy(&bits[c], &rows[c][b].d, sizeof(bits[c]));
        }
        const __m128 w_scales =
            _mm_cvtph_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(bits)));
        acc = _mm_fmadd_ps(_mm_cvtepi32_ps(dots), _mm_mul_ps(_mm_set1_ps(x_scales[b]), w_scales),
                           acc);
      };
      for (size_t b = 0; b < blocks; b += 2) {
        const bool pair = b + 1 < blocks;
        // An odd last block: its codes alone, zeros for the second.
        const hn::Vec512<int8_t> xv{
            pair ? _mm512_loadu_si512(x + b * kQuantBlock)
                 : _mm512_zextsi256_si512(_mm256_loadu_si256(
                       reinterpret_cast<const __m256i*>(x + b * kQuantBlock)))};
        hn::Vec512<int32_t> dots[kTileCols];
        for (size_t c = 0; c < kTileCols; ++c) {
          const __m256i second = pair ? BlockCodes(rows[c][b + 1]) : _mm256_setzero_si256();
          const hn::Vec512<uint8_t> wv{
              _mm512_inserti64x4(_mm512_castsi256_si512(BlockCodes(rows[c][b])), second, 1)};
          dots[c] = DotBytes(hn::Zero(d32), wv, xv);
        }
        // Lanes of 128-bit blocks 0-1: block b; 2-3: block b + 1.
        const __m512i sums = SumInBlocks4(d32, dots[0], dots[1], dots[2], dots[3]).raw;
        step(_mm_add_epi32(_mm512_castsi512_si128(sums), _mm512_extracti32x4_epi32(sums, 1)), b);
        if (pair) {
          step(_mm_add_epi32(_mm512_extracti32x4_epi32(sums, 2),
                             _mm512_extracti32x4_epi32(sums, 3)),
               b + 1);
        }
      }
      float values[kTileCols];
      _mm_storeu_ps(values, acc);
      for (size_t c = 0; c < cols; ++c) {
        y[r * ldy + col + c] = values[c] + (bias != nullptr ? bias[col + c] : 0.0f);
      }
    }
  }
}

// Y rows [row_begin, row_end) and `columns` columns by BlockedQuantColumns.
template <class Block>
inline void BlockedQuantSweep(const QuantizedRows& q, size_t m, size_t k, size_t row_begin,
                              size_t row_end, const Block* w, size_t columns, const float* bias,
                              float* y, size_t ldy) {
  constexpr size_t kCols = 8;
  const size_t blocks = k / kQuantBlock;
  const size_t few = FirstFewRow(m) > row_begin ? FirstFewRow(m) : row_begin;
  const size_t lanes_end = row_end < few ? row_end : few;
  for (size_t col = 0; col < columns; col += kCols) {
    const size_t cols = columns - col < kCols ? columns - col : kCols;
    for (size_t group_row = row_begin / kBlockRows * kBlockRows; group_row < lanes_end;
         group_row += kQuantGroupBlocks * kBlockRows) {
      BlockedQuantColumns(q, m, k, group_row, row_begin, lanes_end, w + col * blocks, cols,
                          bias != nullptr ? bias + col : nullptr, y + col, ldy);
    }
  }
  if (few < row_end) FewQuantRows(q, k, few, row_end, w, columns, bias, y, ldy);
}
#endif  // HWY_TARGET == HWY_AVX3_DL

// ------------------------------------------------------------------ driver

// Computes the kRows x (up to 4) tile at X row `row`, W rows [col, col + cols).
// Missing W rows (cols < 4) repeat the last one; their sums are dropped.
template <size_t kRows, class WT, class Tile>
HWY_INLINE void RunTile(const WT* w, size_t w_stride_bytes, size_t col, size_t cols,
                        const float* bias, float* y, size_t ldy, const Tile& tile) {
  const auto row = [&](size_t c) {
    const size_t index = col + (c < cols ? c : cols - 1);
    return reinterpret_cast<const WT*>(reinterpret_cast<const uint8_t*>(w) +
                                       index * w_stride_bytes);
  };
  float sums[kRows][kTileCols];
  tile(row(0), row(1), row(2), row(3), sums);
  StoreTile<kRows>(sums, cols, bias ? bias + col : nullptr, y + col, ldy);
}

// f(std::integral_constant<size_t, rows>()) for rows in [1, kMaxRows]
// (kMaxRows <= 4): a count of rows known at run time as the kernels'
// compile-time one, instantiated only up to kMaxRows.
template <size_t kMaxRows, class F>
HWY_INLINE void WithRowCount(size_t rows, const F& f) {
  static_assert(kMaxRows >= 1 && kMaxRows <= 4, "1 to 4 rows");
  if constexpr (kMaxRows >= 4) {
    if (rows == 4) return f(std::integral_constant<size_t, 4>());
  }
  if constexpr (kMaxRows >= 3) {
    if (rows == 3) return f(std::integral_constant<size_t, 3>());
  }
  if constexpr (kMaxRows >= 2) {
    if (rows == 2) return f(std::integral_constant<size_t, 2>());
  }
  f(std::integral_constant<size_t, 1>());
}

// Sweeps all tiles of Y[m x n]; tile_rows(rows, row, ...) runs one row group.
template <class WT, class TileFor>
HWY_INLINE void SweepTiles(size_t m, size_t n, const WT* w, size_t w_stride_bytes,
                           const float* bias, float* y, size_t ldy, const TileFor& tile_for) {
  const size_t block_rows = ColumnBlockRows(w_stride_bytes);
  for (size_t col0 = 0; col0 < n; col0 += block_rows) {
    const size_t col_end = col0 + block_rows < n ? col0 + block_rows : n;
    size_t row = 0;
    const auto run_rows = [&](auto rows_constant) {
      constexpr size_t kRows = decltype(rows_constant)::value;
      for (size_t col = col0; col < col_end; col += kTileCols) {
        const size_t cols = col_end - col < kTileCols ? col_end - col : kTileCols;
        if constexpr (kPrefetchesTiles) {
          const size_t ahead = col + kPrefetchTiles * kTileCols;
          if (row == 0 && ahead < n) {
            const size_t rows = n - ahead < kTileCols ? n - ahead : kTileCols;
            PrefetchTileRows(reinterpret_cast<const char*>(w) + ahead * w_stride_bytes,
                             rows * w_stride_bytes);
          }
        }
        RunTile<kRows>(w, w_stride_bytes, col, cols, bias, y + row * ldy, ldy,
                       tile_for(std::integral_constant<size_t, kRows>(), row));
      }
    };
    for (; row + kTileRows <= m; row += kTileRows) {
      run_rows(std::integral_constant<size_t, kTileRows>());
    }
    if (row < m) WithRowCount<kTileRows - 1>(m - row, run_rows);
  }
}

// Y[m x n] (row stride ldy) = X[m x k] (row stride ldx) . W^T + bias, for
// float or half W whose rows are w_stride elements apart. Used directly by
// attention for Q . K^T.
template <class WT>
HWY_INLINE void MatMulFloat(const float* HWY_RESTRICT x, size_t ldx, size_t m, const WT* w,
                            size_t w_stride, size_t n, size_t k, const float* bias, float* y,
                            size_t ldy) {
#ifdef TINYENC_F32_M_PROFILE
  if constexpr (std::is_same_v<WT, float>) {
    FloatRowDotsMProfile(x, ldx, m, w, w_stride, n, k, bias, y, ldy);
  } else  // F16 rows stay with Highway's tiles
#endif
  {
    SweepTiles(m, n, w, w_stride * sizeof(WT), bias, y, ldy, [&](auto rows_constant, size_t row) {
      constexpr size_t kRows = decltype(rows_constant)::value;
      return [=](const WT* w0, const WT* w1, const WT* w2, const WT* w3,
                 float(&sums)[kRows][kTileCols]) {
        FloatTile<kRows>(x + row * ldx, ldx, w0, w1, w2, w3, k, sums);
      };
    });
  }
}

// MatMul's split of its work into blocks. split(m, n, k, sweep) calls
// sweep(row_begin, row_end, begin, end), which computes Y's columns [begin,
// end) for rows [row_begin, row_end), over blocks covering Y once each, in
// any order, on any threads; row blocks start at multiples of kTileRows, so
// every row sits in the same register tile as without the split, and every
// output is one tile's dot product over all of K whichever block holds it.
// split.Rows(m, cost, rows) calls rows(begin, end) over ranges covering
// [0, m), `cost` multiply-adds a row, for the per-row quantization of X. So a
// split never changes a bit. (m, n, k) tell it the work. OneRange runs one
// block.
struct OneRange {
  template <class Sweep>
  void operator()(size_t m, size_t n, size_t /*k*/, const Sweep& sweep) const {
    sweep(0, m, 0, n);
  }
  template <class RowsFn>
  void Rows(size_t m, uint64_t /*cost*/, const RowsFn& rows) const {
    rows(0, m);
  }
};

HWY_INLINE const float* OffsetBias(const float* bias, size_t col) {
  return bias ? bias + col : nullptr;
}

#if HWY_TARGET == HWY_AVX3_DL
// F32 and F16 W with small K on AVX3_DL. A row tile's dots over K = 64 are
// four multiply-adds per lane before a reduction across lanes, which took
// about a third of its time. Here W's rows are transposed on the stack, 32
// at a time (a vector: one value of 16 W rows), and each X value, broadcast,
// multiplies them: every output is its own lane's chain of multiply-adds over
// k in order, whatever rows and columns the call has, so splits and tiled
// plans keep the bits. The transposes cost a quarter of a cycle a weight, once per
// call: dear for a single row (a pooler), small for a sequence.
constexpr size_t kPackedMaxK = 256;  // the stack's 32 W rows: 32 KiB
constexpr size_t kPackedCols = 32;

HWY_INLINE __m512 LoadValues(__mmask16 mask, const float* HWY_RESTRICT values) {
  return _mm512_maskz_loadu_ps(mask, values);
}
HWY_INLINE __m512 LoadValues(__mmask16 mask, const hwy::float16_t* HWY_RESTRICT values) {
  return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, values));
}

// out[i * stride + j] = row j's value i (as f32) for j < rows, else 0, for i
// < k, rows ld apart: 16 x 16 transposes (pairs of rows, then fours, then
// 128-bit quarters).
template <class WT>
HWY_INLINE void TransposeRows(const WT* HWY_RESTRICT in, size_t ld, size_t rows, size_t k,
                              float* HWY_RESTRICT out, size_t stride) {
  for (size_t i0 = 0; i0 < k; i0 += 16) {
    const size_t count = k - i0 < 16 ? k - i0 : 16;
    const __mmask16 mask = static_cast<__mmask16>((1u << count) - 1);
    __m512 r[16], a[16];
    for (size_t j = 0; j < 16; ++j) {
      r[j] = j < rows ? LoadValues(mask, in + j * ld + i0) : _mm512_setzero_ps();
    }
    for (size_t j = 0; j < 16; j += 2) {
      a[j] = _mm512_unpacklo_ps(r[j], r[j + 1]);
      a[j + 1] = _mm512_unpackhi_ps(r[j], r[j + 1]);
    }
    // r[4 * q + g]: quarter L holds value 4L + q of rows 4g..4g + 3.
    for (size_t g = 0; g < 4; ++g) {
      const __m512d lo = _mm512_castps_pd(a[4 * g]), lo2 = _mm512_castps_pd(a[4 * g + 2]);
      const __m512d hi = _mm512_castps_pd(a[4 * g + 1]), hi2 = _mm512_castps_pd(a[4 * g + 3]);
      r[g] = _mm512_castpd_ps(_mm512_unpacklo_pd(lo, lo2));
      r[4 + g] = _mm512_castpd_ps(_mm512_unpackhi_pd(lo, lo2));
      r[8 + g] = _mm512_castpd_ps(_mm512_unpacklo_pd(hi, hi2));
      r[12 + g] = _mm512_castpd_ps(_mm512_unpackhi_pd(hi, hi2));
    }
    for (size_t q = 0; q < 4; ++q) {
      const __m512* b = r + 4 * q;
      const __m512 c0 = _mm512_shuffle_f32x4(b[0], b[1], 0x44);
      const __m512 c1 = _mm512_shuffle_f32x4(b[0], b[1], 0xEE);
      const __m512 c2 = _mm512_shuffle_f32x4(b[2], b[3], 0x44);
      const __m512 c3 = _mm512_shuffle_f32x4(b[2], b[3], 0xEE);
      const __m512 values[4] = {_mm512_shuffle_f32x4(c0, c2, 0x88),
                                _mm512_shuffle_f32x4(c0, c2, 0xDD),
                                _mm512_shuffle_f32x4(c1, c3, 0x88),
                                _mm512_shuffle_f32x4(c1, c3, 0xDD)};
      for (size_t quarter = 0; quarter < 4; ++quarter) {
        const size_t i = 4 * quarter + q;
        if (i < count) _mm512_store_ps(out + (i0 + i) * stride, values[quarter]);
      }
    }
  }
}

// Y's kRows rows from X row x (k values each) and its columns [0, cols),
// cols <= 16 * kVecs, from W's transposed rows wt: dot + bias, the sum then
// the bias as StoreTile adds them.
template <size_t kRows, size_t kVecs>
HWY_INLINE void PackedFloatTile(const float* HWY_RESTRICT x, size_t k,
                                const float* HWY_RESTRICT wt, size_t cols,
                                const float* HWY_RESTRICT bias, float* HWY_RESTRICT y,
                                size_t ldy) {
  __m512 acc[kRows][kVecs];
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t v = 0; v < kVecs; ++v) acc[r][v] = _mm512_setzero_ps();
  }
  for (size_t i = 0; i < k; ++i) {
    __m512 wv[kVecs];
    for (size_t v = 0; v < kVecs; ++v) wv[v] = _mm512_load_ps(wt + i * kPackedCols + 16 * v);
    for (size_t r = 0; r < kRows; ++r) {
      const __m512 xv = _mm512_set1_ps(x[r * k + i]);
      for (size_t v = 0; v < kVecs; ++v) acc[r][v] = _mm512_fmadd_ps(xv, wv[v], acc[r][v]);
    }
  }
  for (size_t v = 0; v < kVecs; ++v) {
    const size_t valid = cols - 16 * v < 16 ? cols - 16 * v : 16;
    const __mmask16 mask = static_cast<__mmask16>((1u << valid) - 1);
    const __m512 b = bias != nullptr ? _mm512_maskz_loadu_ps(mask, bias + 16 * v)
                                     : _mm512_setzero_ps();
    for (size_t r = 0; r < kRows; ++r) {
      _mm512_mask_storeu_ps(y + r * ldy + 16 * v, mask, _mm512_add_ps(acc[r][v], b));
    }
  }
}

// Y[row_begin, row_end) x [begin, end) = X . W^T + bias for float or half W
// with k <= kPackedMaxK; x, w, bias and y are the whole matrices'.
template <class WT>
HWY_INLINE void PackedFloatSweep(const float* HWY_RESTRICT x, size_t row_begin, size_t row_end,
                                 const WT* w, size_t begin, size_t end, size_t k,
                                 const float* bias, float* y, size_t ldy) {
  alignas(64) float wt[kPackedMaxK * kPackedCols];
  for (size_t col = begin; col < end; col += kPackedCols) {
    const size_t cols = end - col < kPackedCols ? end - col : kPackedCols;
    TransposeRows(w + col * k, k, cols < 16 ? cols : 16, k, wt, kPackedCols);
    if (cols > 16) TransposeRows(w + (col + 16) * k, k, cols - 16, k, wt + 16, kPackedCols);
    const float* col_bias = OffsetBias(bias, col);
    const auto tile = [&](size_t row, auto rows_constant) {
      constexpr size_t kRows = decltype(rows_constant)::value;
      const float* in = x + row * k;
      float* out = y + row * ldy + col;
      if (cols > 16) return PackedFloatTile<kRows, 2>(in, k, wt, cols, col_bias, out, ldy);
      PackedFloatTile<kRows, 1>(in, k, wt, cols, col_bias, out, ldy);
    };
    size_t row = row_begin;
    for (; row + 4 <= row_end; row += 4) tile(row, std::integral_constant<size_t, 4>());
    if (row < row_end) {
      WithRowCount<3>(row_end - row, [&](auto rows_constant) { tile(row, rows_constant); });
    }
  }
}
#endif  // HWY_TARGET == HWY_AVX3_DL

template <class WT, class Split>
HWY_INLINE void MatMulWeights(const float* HWY_RESTRICT x, size_t m, const WT* w, size_t n,
                              size_t k, const float* bias, float* y, const Split& split) {
  split(m, n, k, [&](size_t row_begin, size_t row_end, size_t begin, size_t end) {
#if HWY_TARGET == HWY_AVX3_DL
    if (k <= kPackedMaxK) {
      return PackedFloatSweep(x, row_begin, row_end, w, begin, end, k, bias, y, n);
    }
#endif
    MatMulFloat(x + row_begin * k, k, row_end - row_begin, w + begin * k, k, end - begin, k,
                OffsetBias(bias, begin), y + row_begin * n + begin, n);
  });
}

// What quantizing a value of X costs, in multiply-adds, for split.Rows: a
// pass for the row's range, one to code it. Counted as 1, a 128 x 384 X went
// in one task and left the second thread idle.
constexpr uint64_t kQuantizeCost = 4;

// X is quantized once, split by rows, before the column split.
template <class Block, class Split>
HWY_INLINE void MatMulQuantized(const float* HWY_RESTRICT x, size_t m, const Block* w, size_t n,
                                size_t k, const float* bias, float* y, void* scratch,
                                const Split& split) {
  const QuantizedRows q(scratch, m, k);
  split.Rows(m, kQuantizeCost * k,
             [&](size_t begin, size_t end) { QuantizeActivations(x, begin, end, m, k, q); });
  const size_t blocks = k / kQuantBlock;
  split(m, n, k, [&](size_t row_begin, size_t row_end, size_t begin, size_t end) {
#if HWY_TARGET == HWY_AVX3_DL
    BlockedQuantSweep(q, m, k, row_begin, row_end, w + begin * blocks, end - begin,
                      OffsetBias(bias, begin), y + begin, n);
#else
    SweepTiles(row_end - row_begin, end - begin, w + begin * blocks, blocks * sizeof(Block),
               OffsetBias(bias, begin), y + row_begin * n + begin, n,
               [&](auto rows_constant, size_t tile_row) {
                 constexpr size_t kRows = decltype(rows_constant)::value;
                 const size_t row = row_begin + tile_row;
                 return [&q, row, blocks](const Block* w0, const Block* w1, const Block* w2,
                                          const Block* w3, float(&sums)[kRows][kTileCols]) {
                   QuantTile<kRows>(q, row, w0, w1, w2, w3, blocks, sums);
                 };
               });
#endif
  });
}

// sums[r][c] = (dots[r][c] - X row r's zero point * row_sums[c]) * X row r's
// scale * W row c's scale, for the I8 tile at X row `row` and W rows w_rows
// (consecutive, the last repeated at the right edge). row_sums, indexed from
// W row `first`, is null for int16 codes, whose zero point is 0.
template <size_t kRows>
HWY_INLINE void ScaleRowDots(const int32_t (&dots)[kRows][kTileCols], const RowCodes& q,
                             size_t row, const int8_t* const (&w_rows)[kTileCols],
                             const int8_t* codes, size_t k, const float* HWY_RESTRICT w_scales,
                             const int32_t* HWY_RESTRICT row_sums, size_t first,
                             float (&sums)[kRows][kTileCols]) {
  size_t index = static_cast<size_t>(w_rows[0] - codes) / k;  // one division per tile
#if HWY_TARGET != HWY_SCALAR
  if (w_rows[3] != w_rows[2]) {  // four W rows, one vector of columns
    const hn::FixedTag<float, kTileCols> df;
    const hn::FixedTag<int32_t, kTileCols> di;
    const auto w_scale = hn::LoadU(df, w_scales + index);
    for (size_t r = 0; r < kRows; ++r) {
      auto dot = hn::LoadU(di, dots[r]);
      if (row_sums != nullptr) {
        dot = hn::Sub(dot, hn::Mul(hn::Set(di, q.Zero(row + r)),
                                   hn::LoadU(di, row_sums + (index - first))));
      }
      const auto scale = hn::Mul(hn::Set(df, q.Scale(row + r)), w_scale);
      hn::StoreU(hn::Mul(hn::ConvertTo(df, dot), scale), df, sums[r]);
    }
    return;
  }
#endif
  for (size_t c = 0; c < kTileCols; ++c) {
    if (c > 0 && w_rows[c] != w_rows[c - 1]) ++index;
    const float w_scale = w_scales[index];
    const int32_t row_sum = row_sums != nullptr ? row_sums[index - first] : 0;
    for (size_t r = 0; r < kRows; ++r) {
      const int32_t dot = dots[r][c] - (row_sums != nullptr ? q.Zero(row + r) * row_sum : 0);
      sums[r][c] = static_cast<float>(dot) * (q.Scale(row + r) * w_scale);
    }
  }
}

#if HWY_TARGET == HWY_AVX3_DL
// The split's rows [row_begin, row_end): those in X's whole blocks of rows
// by blocked(first, end), the rest by rows(first, end).
template <class Blocked, class Rows>
HWY_INLINE void BlockedAndRows(size_t whole, size_t row_begin, size_t row_end,
                               const Blocked& blocked, const Rows& rows) {
  if (row_begin < whole) blocked(row_begin, row_end < whole ? row_end : whole);
  if (row_end > whole) rows(row_begin > whole ? row_begin : whole, row_end);
}
#endif  // HWY_TARGET == HWY_AVX3_DL

#if HWY_TARGET == HWY_AVX3_DL || defined(TINYENC_ARM_SDOT)
// Columns at a time whose W row sums are computed together (on the stack).
constexpr size_t kRowSumColumns = 256;

// X's 8-bit codes as the byte products take them: unsigned for vpdpbusd,
// signed (QuantizeSignedNarrowRow) for SDOT.
#ifdef TINYENC_ARM_SDOT
using NarrowXCode = int8_t;
#else
using NarrowXCode = uint8_t;
#endif

// MatMulI8 with 8-bit X codes: Y = (X codes . W codes - X zero point * W row
// sum) * X row scale * W row scale + bias.
template <class Split>
HWY_INLINE void MatMulI8Narrow(const float* HWY_RESTRICT x, size_t m, const WeightMatrix& w,
                               const float* bias, float* y, void* scratch, const Split& split) {
  const RowCodes q(scratch, m, w.cols);
  const size_t k = w.cols;
  split.Rows(m, kQuantizeCost * k, [&](size_t begin, size_t end) {
#ifdef TINYENC_ARM_SDOT
    for (size_t r = begin; r < end; ++r) QuantizeSignedNarrowRow(x + r * k, k, q, r);
#else
    QuantizeNarrowRows(x, begin, end, m, k, q);
#endif
  });
  const auto* codes = static_cast<const int8_t*>(w.data);
  const float* HWY_RESTRICT w_scales = w.row_scales;
  split(m, w.rows, k, [&](size_t row_begin, size_t row_end, size_t begin, size_t end) {
    for (size_t first = begin; first < end; first += kRowSumColumns) {
      const size_t columns = end - first < kRowSumColumns ? end - first : kRowSumColumns;
      int32_t row_sums[kRowSumColumns];
#if HWY_TARGET == HWY_AVX3_DL
      // Past one block of rows, summing W's rows here is also their fetch
      // ahead of the tiles, which serve several blocks from cache: it beat
      // the file's sums with a prefetch pass (MiniLM-L6 128 tokens 11.12
      // against 11.26 ms). One block's tiles are faster without the pass.
      const bool file_sums = w.row_sums != nullptr && m <= kBlockRows;
#else
      const bool file_sums = w.row_sums != nullptr;
#endif
      if (file_sums) {
        FileRowSums(w.row_sums + first, columns, row_sums);
      } else {
        WeightRowSums(codes + first * k, columns, k, row_sums);
      }
      const auto rows = [&](size_t row_first, size_t row_last) {
        const auto tile_for = [&](auto rows_constant, size_t tile_row) {
          constexpr size_t kRows = decltype(rows_constant)::value;
          const size_t row = row_first + tile_row;
          return [&q, row, codes, first, k, w_scales, &row_sums](
                     const int8_t* w0, const int8_t* w1, const int8_t* w2, const int8_t* w3,
                     float(&sums)[kRows][kTileCols]) {
            const auto x_row = [&q, row](size_t r) {
              return reinterpret_cast<const NarrowXCode*>(q.NarrowCodes(row + r));
            };
            const NarrowXCode* const x_rows[4] = {x_row(0), x_row(kRows > 1 ? 1 : 0),
                                                  x_row(kRows > 2 ? 2 : 0),
                                                  x_row(kRows > 3 ? 3 : 0)};
            const int8_t* const w_rows[kTileCols] = {w0, w1, w2, w3};
            int32_t dots[kRows][kTileCols];
#if HWY_TARGET == HWY_AVX3_DL
            NarrowRowDotTile<kRows>(x_rows, w_rows, k, dots);
#else
            RowDotTile<kRows>(x_rows, w_rows, k, dots);
#endif
            ScaleRowDots<kRows>(dots, q, row, w_rows, codes, k, w_scales, row_sums, first, sums);
          };
        };
        SweepTiles(row_last - row_first, columns, codes + first * k, k, OffsetBias(bias, first),
                   y + row_first * w.rows + first, w.rows, tile_for);
      };
#if HWY_TARGET == HWY_AVX3_DL
      const auto blocked = [&](size_t row_first, size_t row_last) {
        BlockedSweep<NarrowGroups>(q, row_first, row_last, codes + first * k, k, columns,
                                   row_sums, w_scales + first, OffsetBias(bias, first),
                                   y + first, w.rows);
      };
      BlockedAndRows(WholeBlockRows(m), row_begin, row_end, blocked, rows);
#else
      rows(row_begin, row_end);
#endif
    }
  });
}
#endif  // HWY_TARGET == HWY_AVX3_DL || defined(TINYENC_ARM_SDOT)

// Y = (X's row codes . W's row codes) * X row scale * W row scale + bias.
// X is quantized once, split by rows, before the column split.
template <class Split>
HWY_INLINE void MatMulI8(const float* HWY_RESTRICT x, size_t m, const WeightMatrix& w,
                         const float* bias, float* y, void* scratch, const Split& split) {
#if HWY_TARGET == HWY_AVX3_DL || defined(TINYENC_ARM_SDOT)
  if (NarrowsActivations(w)) return MatMulI8Narrow(x, m, w, bias, y, scratch, split);
#endif
  const RowCodes q(scratch, m, w.cols);
  const size_t k = w.cols;
  // (AVX3_DL's and SDOT's 8-bit rows took MatMulI8Narrow above.)
  [[maybe_unused]] const bool narrow = NarrowsActivations(w);
  split.Rows(m, kQuantizeCost * k, [&](size_t begin, size_t end) {
#if defined(TINYENC_I8_M_PROFILE) && defined(__ARM_FEATURE_MVE)
    if (narrow) {
      for (size_t r = begin; r < end; ++r) {
        QuantizeNarrowRowMProfile(x + r * k, k, reinterpret_cast<int8_t*>(q.NarrowCodes(r)),
                                  &q.Scale(r), &q.Zero(r));
      }
      return;
    }
#endif
    QuantizeActivationRows(x, begin, end, m, k, q);
  });
  const auto* codes = static_cast<const int8_t*>(w.data);
  const float* HWY_RESTRICT w_scales = w.row_scales;
#ifndef TINYENC_I8_M_PROFILE
  // W rows are found by their distance from `codes`, so any column range
  // reads its own rows' scales.
  const auto tile_for = [&](auto rows_constant, size_t row) {
    constexpr size_t kRows = decltype(rows_constant)::value;
    return [&q, row, codes, k, w_scales](const int8_t* w0, const int8_t* w1, const int8_t* w2,
                                         const int8_t* w3, float(&sums)[kRows][kTileCols]) {
      const int16_t* const x_rows[4] = {q.Codes(row), q.Codes(row + (kRows > 1 ? 1 : 0)),
                                        q.Codes(row + (kRows > 2 ? 2 : 0)),
                                        q.Codes(row + (kRows > 3 ? 3 : 0))};
      const int8_t* const w_rows[kTileCols] = {w0, w1, w2, w3};
      int32_t dots[kRows][kTileCols];
      RowDotTile<kRows>(x_rows, w_rows, k, dots);
      ScaleRowDots<kRows>(dots, q, row, w_rows, codes, k, w_scales, nullptr, 0, sums);
    };
  };
  split(m, w.rows, k, [&](size_t row_begin, size_t row_end, size_t begin, size_t end) {
    const auto rows = [&](size_t row_first, size_t row_last) {
      SweepTiles(row_last - row_first, end - begin, codes + begin * k, k, OffsetBias(bias, begin),
                 y + row_first * w.rows + begin, w.rows, [&](auto rows_constant, size_t row) {
                   return tile_for(rows_constant, row_first + row);
                 });
    };
#if HWY_TARGET == HWY_AVX3_DL
    const auto blocked = [&](size_t row_first, size_t row_last) {
      BlockedSweep<WideGroups>(q, row_first, row_last, codes + begin * k, k, end - begin, nullptr,
                               w_scales + begin, OffsetBias(bias, begin), y + begin, w.rows);
    };
    BlockedAndRows(WideBlockedRows(m, k), row_begin, row_end, blocked, rows);
#else
    rows(row_begin, row_end);
#endif
  });
#else
  split(m, w.rows, k, [&](size_t row_begin, size_t row_end, size_t begin, size_t end) {
#if defined(__ARM_FEATURE_MVE)
    if (narrow) {
      return RowDotsMProfile<true>(q, row_begin, row_end, codes, k, w_scales, w.row_sums, begin,
                                   end, bias, y, w.rows);
    }
#endif
    RowDotsMProfile<false>(q, row_begin, row_end, codes, k, w_scales, w.row_sums, begin, end,
                           bias, y, w.rows);
  });
#endif
}

// Assumes CheckMatMul passed. Types the build leaves out have no kernels.
// `split` runs the column ranges.
template <class Split>
inline void SplitMatMul(const float* HWY_RESTRICT x, size_t m, const WeightMatrix& w,
                        const float* bias, float* y, void* scratch, const Split& split) {
  switch (w.type) {
    case WeightType::kF32:
      if constexpr (WeightTypeBuilt(WeightType::kF32)) {
        MatMulWeights(x, m, static_cast<const float*>(w.data), w.rows, w.cols, bias, y, split);
      }
      return;
    case WeightType::kF16:
      if constexpr (WeightTypeBuilt(WeightType::kF16)) {
        MatMulWeights(x, m, static_cast<const hwy::float16_t*>(w.data), w.rows, w.cols, bias, y,
                      split);
      }
      return;
    case WeightType::kQ8_0:
      if constexpr (WeightTypeBuilt(WeightType::kQ8_0)) {
        MatMulQuantized(x, m, static_cast<const BlockQ8_0*>(w.data), w.rows, w.cols, bias, y,
                        scratch, split);
      }
      return;
    case WeightType::kQ4_0:
      if constexpr (WeightTypeBuilt(WeightType::kQ4_0)) {
        MatMulQuantized(x, m, static_cast<const BlockQ4_0*>(w.data), w.rows, w.cols, bias, y,
                        scratch, split);
      }
      return;
    case WeightType::kI8:
      if constexpr (WeightTypeBuilt(WeightType::kI8)) {
        MatMulI8(x, m, w, bias, y, scratch, split);
      }
      return;
  }
}

inline void MatMul(const float* HWY_RESTRICT x, size_t m, const WeightMatrix& w,
                   const float* bias, float* y, void* scratch) {
  SplitMatMul(x, m, w, bias, y, scratch, OneRange());
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_MATMUL_INL_H_
