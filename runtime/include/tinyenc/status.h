// Status codes returned by every fallible tinyenc call. No exceptions are
// thrown anywhere; a failed call returns a code and a message naming what was
// wrong. The message lives inside the Status, so reporting an error never
// allocates.
#ifndef TINYENC_STATUS_H_
#define TINYENC_STATUS_H_

namespace tinyenc {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,   // a shape, size or pointer argument is unusable
  kUnsupportedType,   // a weight type the called kernel does not handle
  kScratchTooSmall,   // caller-provided scratch or arena is smaller than needed
};

const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // ok

  static Status Ok() { return Status(); }
  // printf-style message; truncated to fit kMaxMessage.
  static Status Error(StatusCode code, const char* format, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const char* message() const { return message_; }

  static constexpr int kMaxMessage = 160;

 private:
  StatusCode code_ = StatusCode::kOk;
  char message_[kMaxMessage] = {};
};

}  // namespace tinyenc

#endif  // TINYENC_STATUS_H_
