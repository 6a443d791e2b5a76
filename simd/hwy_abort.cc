// Header-only (static) Highway builds have no libhwy to provide hwy::Abort,
// which HWY_ASSERT reaches; this one prints and stops.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "hwy/base.h"

namespace hwy {

HWY_NORETURN void HWY_FORMAT(3, 4) Abort(const char* file, int line, const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::fprintf(stderr, "tinyenc: Highway abort at %s:%d: ", file, line);
  std::vfprintf(stderr, format, args);
  std::fputc('\n', stderr);
  va_end(args);
  std::abort();
}

}  // namespace hwy
