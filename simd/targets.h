// Which SIMD targets this build compiled and which one dispatch picks.
#ifndef TINYENC_SIMD_TARGETS_H_
#define TINYENC_SIMD_TARGETS_H_

#include <cstddef>

namespace tinyenc {

// Name of the target the kernels run on now, e.g. "AVX3_DL", "NEON", "SCALAR".
const char* ActiveTargetName();
// Writes the names of all compiled targets the CPU supports, best first,
// separated by spaces, into buf (always NUL-terminated).
void SupportedTargetNames(char* buf, size_t size);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_TARGETS_H_
