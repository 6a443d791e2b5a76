/* Debian's arm-none-eabi GCC puts its own stdint.h before newlib's, so
 * newlib's __int64_t_defined is never set and its inttypes.h leaves out
 * PRIu64 and the other 64-bit format macros. newlib's sys/_stdint.h declares
 * the same types (identical typedefs) and sets it. */
#include <sys/_stdint.h>
#include_next <inttypes.h>
