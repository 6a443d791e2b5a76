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

// Sums each of four vectors (f32 or i32 lanes) and writes the four totals to
// out[0..3]. On x86 and NEON the four sums are transposed together inside
// each 128-bit block, so this costs about as much as one SumOfLanes instead
// of four.
template <class D, class V>
HWY_INLINE void ReduceSum4(D d, V a0, V a1, V a2, V a3, hn::TFromD<D>* HWY_RESTRICT out) {
#if (HWY_ARCH_X86 || HWY_TARGET == HWY_NEON) && HWY_TARGET != HWY_SCALAR
  if constexpr (hn::MaxLanes(D()) >= 4) {
    // Per block: lanes {a0+a0', a1+a1', ...} pairs, then 64-bit pairs.
    const V t01 = hn::Add(hn::InterleaveLower(d, a0, a1), hn::InterleaveUpper(d, a0, a1));
    const V t23 = hn::Add(hn::InterleaveLower(d, a2, a3), hn::InterleaveUpper(d, a2, a3));
    const hn::Repartition<uint64_t, D> du64;
    const auto t01_64 = hn::BitCast(du64, t01);
    const auto t23_64 = hn::BitCast(du64, t23);
    const V sums = hn::Add(hn::BitCast(d, hn::InterleaveLower(du64, t01_64, t23_64)),
                           hn::BitCast(d, hn::InterleaveUpper(du64, t01_64, t23_64)));
    hn::StoreU(SumBlocks(d, sums), hn::Full128<hn::TFromD<D>>(), out);
    return;
  }
#endif
  out[0] = ReduceSum(d, a0);
  out[1] = ReduceSum(d, a1);
  out[2] = ReduceSum(d, a2);
  out[3] = ReduceSum(d, a3);
}


}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_REDUCE_INL_H_
