#include "simd/targets.h"

#include <cstdio>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/targets.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
const char* TargetNameOfThisCode() { return hwy::TargetName(HWY_TARGET); }
}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(TargetNameOfThisCode);

const char* ActiveTargetName() { return HWY_DYNAMIC_DISPATCH(TargetNameOfThisCode)(); }

void SupportedTargetNames(char* buf, size_t size) {
  if (size == 0) return;
  buf[0] = '\0';
#if TINYENC_HWY_DYNAMIC
  const int64_t targets = hwy::SupportedTargets() & HWY_TARGETS;
#else
  const int64_t targets = HWY_STATIC_TARGET;
#endif
  size_t used = 0;
  // Lower bits are better targets in Highway's numbering.
  for (int64_t rest = targets; rest != 0 && used < size; rest &= rest - 1) {
    const int64_t target = rest & -rest;
    const int written = std::snprintf(buf + used, size - used, "%s%s", used ? " " : "",
                                      hwy::TargetName(target));
    if (written < 0) break;
    used += static_cast<size_t>(written);
  }
}

}  // namespace tinyenc
#endif  // HWY_ONCE
