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
    case StatusCode::kTruncated:
      return "truncated file";
    case StatusCode::kBadMagic:
      return "bad magic";
    case StatusCode::kUnsupportedVersion:
      return "unsupported version";
    case StatusCode::kBadCount:
      return "bad count";
    case StatusCode::kBadValueType:
      return "bad value type";
    case StatusCode::kDuplicateKey:
      return "duplicate key";
    case StatusCode::kBadAlignment:
      return "bad alignment";
    case StatusCode::kBadTensorInfo:
      return "bad tensor info";
    case StatusCode::kBadTensorOffset:
      return "bad tensor offset";
    case StatusCode::kDuplicateTensor:
      return "duplicate tensor";
    case StatusCode::kMissingKey:
      return "missing key";
    case StatusCode::kKeyType:
      return "wrong key type";
    case StatusCode::kBadHyperParameter:
      return "bad hyper-parameter";
    case StatusCode::kUnsupportedArchitecture:
      return "unsupported architecture";
    case StatusCode::kMissingTensor:
      return "missing tensor";
    case StatusCode::kTensorShape:
      return "wrong tensor shape or type";
    case StatusCode::kTokenOutOfRange:
      return "token out of range";
    case StatusCode::kBadSequenceLength:
      return "bad sequence length";
    case StatusCode::kBatchTooLarge:
      return "batch too large";
    case StatusCode::kArenaTooSmall:
      return "arena too small";
    case StatusCode::kIoError:
      return "i/o error";
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
