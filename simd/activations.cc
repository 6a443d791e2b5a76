// Dispatch entry points for activations-inl.h.
#include "simd/activations.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/activations.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/activations-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(GeluErf);
HWY_EXPORT(GeluTanh);
HWY_EXPORT(GeluTanhForCodes);
HWY_EXPORT(Relu);
HWY_EXPORT(Erf);

void GeluErf(float* v, size_t count) { HWY_DYNAMIC_DISPATCH(GeluErf)(v, count); }
void GeluTanh(float* v, size_t count) { HWY_DYNAMIC_DISPATCH(GeluTanh)(v, count); }
void GeluTanhForCodes(float* v, size_t count) {
  HWY_DYNAMIC_DISPATCH(GeluTanhForCodes)(v, count);
}
void Relu(float* v, size_t count) { HWY_DYNAMIC_DISPATCH(Relu)(v, count); }
void Erf(const float* in, float* out, size_t count) { HWY_DYNAMIC_DISPATCH(Erf)(in, out, count); }

}  // namespace tinyenc
#endif  // HWY_ONCE
