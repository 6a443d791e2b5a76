// Dispatch entry point for softmax-inl.h.
#include "simd/softmax.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/softmax.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/softmax-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(Softmax);

void Softmax(float* rows, size_t num_rows, size_t cols, float scale, const float* mask) {
  HWY_DYNAMIC_DISPATCH(Softmax)(rows, num_rows, cols, scale, mask);
}

}  // namespace tinyenc
#endif  // HWY_ONCE
