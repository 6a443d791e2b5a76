#include "tinyenc/status.h"

#include <cstdarg>
#include <cstdio>

namespace tinyenc {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kUnsupportedType:
      return "unsupported type";
    case StatusCode::kScratchTooSmall:
      return "scratch too small";
  }
  return "unknown status";
}

Status Status::Error(StatusCode code, const char* format, ...) {
  Status status;
  status.code_ = code;
  va_list args;
  va_start(args, format);
  std::vsnprintf(status.message_, sizeof(status.message_), format, args);
  va_end(args);
  return status;
}

}  // namespace tinyenc
