// Skips that show. A test program whose data is absent ends with meson's
// SKIP status (exit 77) and says why; it never passes in its place.
//  - SkipTest(why): ends the program at once (nothing else it holds can run).
//  - SkipCase(why): records why the current test case did not run; the
//    program still runs its other cases, then exits 77 when nothing failed
//    (tests/doctest_main.cc), so a partly skipped program is reported
//    skipped, with every reason printed.
#ifndef TINYENC_TESTS_SKIP_H_
#define TINYENC_TESTS_SKIP_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace tinyenc {
namespace test {

inline std::vector<std::string>& SkipReasons() {
  static std::vector<std::string> reasons;
  return reasons;
}

inline void SkipCase(const std::string& why) {
  std::printf("SKIPPED (this case): %s\n", why.c_str());
  std::fflush(stdout);
  SkipReasons().push_back(why);
}

[[noreturn]] inline void SkipTest(const std::string& why) {
  std::printf("SKIPPED: %s\n", why.c_str());
  std::fflush(stdout);
  std::exit(77);
}

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_SKIP_H_
