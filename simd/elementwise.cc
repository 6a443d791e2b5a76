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
HWY_EXPORT(AddBias);
HWY_EXPORT(MeanPool);
HWY_EXPORT(L2Normalize);
HWY_EXPORT(F16ToF32);
HWY_EXPORT(F32ToF16);

void Add(const float* a, const float* b, float* out, size_t count) {
  HWY_DYNAMIC_DISPATCH(Add)(a, b, out, count);
}
void AddBias(float* rows, size_t num_rows, size_t cols, const float* bias) {
  HWY_DYNAMIC_DISPATCH(AddBias)(rows, num_rows, cols, bias);
}
void MeanPool(const float* rows, size_t num_rows, size_t cols, const float* row_weights,
              float* out) {
  HWY_DYNAMIC_DISPATCH(MeanPool)(rows, num_rows, cols, row_weights, out);
}
void L2Normalize(float* v, size_t count) { HWY_DYNAMIC_DISPATCH(L2Normalize)(v, count); }
void F16ToF32(const uint16_t* in, float* out, size_t count) {
  HWY_DYNAMIC_DISPATCH(F16ToF32)(in, out, count);
}
void F32ToF16(const float* in, uint16_t* out, size_t count) {
  HWY_DYNAMIC_DISPATCH(F32ToF16)(in, out, count);
}

}  // namespace tinyenc
#endif  // HWY_ONCE
