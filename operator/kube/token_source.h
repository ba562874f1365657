#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

namespace schemagate::kube {

/// The bearer token to send: a fixed one, or the content of a file that is
/// re-read whenever it changes (projected service account tokens rotate
/// hourly; kubelet swaps the file). Thread-safe.
class TokenSource {
 public:
  TokenSource(std::string token, std::filesystem::path file)
      : token_(std::move(token)), file_(std::move(file)) {}

  /// The current token; empty when there is none. A file that cannot be read
  /// keeps the last token read from it.
  std::string token();

  /// Forgets what was read, so the next token() reads the file again even if
  /// it looks unchanged (after a 401).
  void invalidate();

 private:
  std::mutex mutex_;
  std::string token_;
  std::filesystem::path file_;
  std::filesystem::file_time_type read_time_{};
  std::uintmax_t read_size_ = 0;
  bool read_ = false;
};

}  // namespace schemagate::kube
