// Dispatch entry points for elementwise-inl.h.
#include "simd/elementwise.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/elementwise.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/elementwise-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(Add);
HWY_EXPORT(MeanPool);
HWY_EXPORT(L2Normalize);

void Add(const float* a, const float* b, float* out, size_t count) {
  HWY_DYNAMIC_DISPATCH(Add)(a, b, out, count);
}
void MeanPool(const float* rows, size_t num_rows, size_t cols, float* out) {
  HWY_DYNAMIC_DISPATCH(MeanPool)(rows, num_rows, cols, out);
}
void L2Normalize(float* v, size_t count) { HWY_DYNAMIC_DISPATCH(L2Normalize)(v, count); }

}  // namespace tinyenc
#endif  // HWY_ONCE
