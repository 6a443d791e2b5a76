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
  kScratchTooSmall,   // caller-provided kernel scratch is smaller than needed
  // Weight file structure (GGUF).
  kTruncated,          // the file ends inside a header, key, tensor info or tensor
  kBadMagic,           // not a GGUF file
  kUnsupportedVersion, // a GGUF version other than 3
  kBadCount,           // a tensor, key, string or array count the file cannot hold
  kBadValueType,       // an unknown GGUF value type, or an array of arrays
  kDuplicateKey,
  kBadAlignment,       // general.alignment is 0, not a power of two, or mistyped
  kBadTensorInfo,      // tensor name, dimension count or sizes unusable
  kBadTensorOffset,    // a tensor's data is not where llama.cpp's layout puts it
  kDuplicateTensor,
  // Weight file meaning (the model).
  kMissingKey,
  kKeyType,            // a key holds a value of the wrong type
  kBadHyperParameter,  // a value out of range or inconsistent with another
  kUnsupportedArchitecture,
  kMissingTensor,
  kTensorShape,        // a tensor's shape or type is not what the hyper-parameters imply
  // Calls.
  kTokenOutOfRange,    // a token id >= the vocabulary, or a token type >= the type count
  kBadSequenceLength,  // zero tokens, or more than the context or the session's maximum
  kBatchTooLarge,      // more sequences than the session was planned for
  kArenaTooSmall,      // the caller's arena is smaller than the plan needs
  kIoError,            // a file could not be opened or mapped
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
