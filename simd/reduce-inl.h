// Horizontal reductions shared by the kernels.

#if defined(TINYENC_SIMD_REDUCE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_REDUCE_INL_H_
#undef TINYENC_SIMD_REDUCE_INL_H_
#else
#define TINYENC_SIMD_REDUCE_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D, class V>
HWY_INLINE hn::TFromD<D> ReduceSum(D d, V v) {
  return hn::GetLane(hn::SumOfLanes(d, v));
}

template <class D, class V>
HWY_INLINE float ReduceMax(D d, V v) {
  return hn::GetLane(hn::MaxOfLanes(d, v));
}

#if (HWY_ARCH_X86 || HWY_TARGET == HWY_NEON) && HWY_TARGET != HWY_SCALAR
// Adds the 128-bit blocks of v together.
template <class D, class V>
HWY_INLINE hn::Vec<hn::Full128<hn::TFromD<D>>> SumBlocks(D d, V v) {
  if constexpr (hn::MaxLanes(D()) > 4) {
    const hn::Half<D> dh;
    return SumBlocks(dh, hn::Add(hn::LowerHalf(dh, v), hn::UpperHalf(dh, v)));
  } else {
    (void)d;
    return v;
  }
}
#endif

#if (HWY_ARCH_X86 || HWY_TARGET == HWY_NEON) && HWY_TARGET != HWY_SCALAR
// Within each 128-bit block, lane i of the result = the sum of a_i's lanes in
// that block: the four sums transposed together.
template <class D, class V>
HWY_INLINE V SumInBlocks4(D d, V a0, V a1, V a2, V a3) {
  // Per block: lanes {a0+a0', a1+a1', ...} pairs, then 64-bit pairs.
  const V t01 = hn::Add(hn::InterleaveLower(d, a0, a1), hn::InterleaveUpper(d, a0, a1));
  const V t23 = hn::Add(hn::InterleaveLower(d, a2, a3), hn::InterleaveUpper(d, a2, a3));
  const hn::Repartition<uint64_t, D> du64;
  const auto t01_64 = hn::BitCast(du64, t01);
  const auto t23_64 = hn::BitCast(du64, t23);
  return hn::Add(hn::BitCast(d, hn::InterleaveLower(du64, t01_64, t23_64)),
                 hn::BitCast(d, hn::InterleaveUpper(du64, t01_64, t23_64)));
}
#endif

// Sums each of four vectors (f32 or i32 lanes) and writes the four totals to
// out[0..3]. On x86 and NEON the four sums are transposed together inside
// each 128-bit block, so this costs about as much as one SumOfLanes instead
// of four.
template <class D, class V>
HWY_INLINE void ReduceSum4(D d, V a0, V a1, V a2, V a3, hn::TFromD<D>* HWY_RESTRICT out) {
#if (HWY_ARCH_X86 || HWY_TARGET == HWY_NEON) && HWY_TARGET != HWY_SCALAR
  if constexpr (hn::MaxLanes(D()) >= 4) {
    hn::StoreU(SumBlocks(d, SumInBlocks4(d, a0, a1, a2, a3)), hn::Full128<hn::TFromD<D>>(), out);
    return;
  }
#endif
  out[0] = ReduceSum(d, a0);
  out[1] = ReduceSum(d, a1);
  out[2] = ReduceSum(d, a2);
  out[3] = ReduceSum(d, a3);
}

// out[r][c] = the sum of a_rc's lanes for a register tile of kRows x 4
// accumulators (rows past kRows ignored): ReduceSum4 per row, in the same
// order. With 512-bit vectors a whole 4 x 4 tile's blocks are added across
// rows together, (b0 + b2) + (b1 + b3) as SumBlocks adds them, one 512-bit
// store instead of four.
template <size_t kRows, class D, class V>
HWY_INLINE void ReduceTile(D d, V a00, V a01, V a02, V a03, V a10, V a11, V a12, V a13, V a20,
                           V a21, V a22, V a23, V a30, V a31, V a32, V a33,
                           hn::TFromD<D> (&out)[kRows][4]) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
  if constexpr (kRows == 4 && hn::MaxLanes(D()) == 16) {
    const auto s0 = hn::BitCast(hn::Full512<float>(), SumInBlocks4(d, a00, a01, a02, a03)).raw;
    const auto s1 = hn::BitCast(hn::Full512<float>(), SumInBlocks4(d, a10, a11, a12, a13)).raw;
    const auto s2 = hn::BitCast(hn::Full512<float>(), SumInBlocks4(d, a20, a21, a22, a23)).raw;
    const auto s3 = hn::BitCast(hn::Full512<float>(), SumInBlocks4(d, a30, a31, a32, a33)).raw;
    const auto blocks = [d](__m512 x) { return hn::BitCast(d, hn::Vec512<float>{x}); };
    const auto raw = [](V x) { return hn::BitCast(hn::Full512<float>(), x).raw; };
    // Rows r, r + 1: [b0 + b2, b1 + b3] of each.
    const V h01 = hn::Add(blocks(_mm512_shuffle_f32x4(s0, s1, _MM_SHUFFLE(1, 0, 1, 0))),
                          blocks(_mm512_shuffle_f32x4(s0, s1, _MM_SHUFFLE(3, 2, 3, 2))));
    const V h23 = hn::Add(blocks(_mm512_shuffle_f32x4(s2, s3, _MM_SHUFFLE(1, 0, 1, 0))),
                          blocks(_mm512_shuffle_f32x4(s2, s3, _MM_SHUFFLE(3, 2, 3, 2))));
    const V sums =
        hn::Add(blocks(_mm512_shuffle_f32x4(raw(h01), raw(h23), _MM_SHUFFLE(2, 0, 2, 0))),
                blocks(_mm512_shuffle_f32x4(raw(h01), raw(h23), _MM_SHUFFLE(3, 1, 3, 1))));
    hn::StoreU(sums, d, &out[0][0]);
    return;
  }
#endif
  ReduceSum4(d, a00, a01, a02, a03, out[0]);
  if constexpr (kRows > 1) ReduceSum4(d, a10, a11, a12, a13, out[kRows > 1 ? 1 : 0]);
  if constexpr (kRows > 2) ReduceSum4(d, a20, a21, a22, a23, out[kRows > 2 ? 2 : 0]);
  if constexpr (kRows > 3) ReduceSum4(d, a30, a31, a32, a33, out[kRows > 3 ? 3 : 0]);
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_REDUCE_INL_H_
