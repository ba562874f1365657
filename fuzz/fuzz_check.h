#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "schemagate/common/error.h"

namespace schemagate::fuzz {

/// The input as a string, NUL bytes included.
inline std::string text_of(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

/// Aborts (a finding for libFuzzer) unless `error` is the typed refusal of
/// bad input: ErrorCode::kInvalid with a message that says something.
inline void require_invalid_input(const Error& error) {
  if (error.code() != ErrorCode::kInvalid || error.message().empty()) {
    std::fprintf(stderr, "untyped error %d: %s\n", error.exit_code(), error.message().c_str());
    std::abort();
  }
}

/// Aborts unless `error` carries one of the documented exit codes.
inline void require_typed(const Error& error) {
  if (error.exit_code() < 1 || error.exit_code() > 5 || error.message().empty()) {
    std::fprintf(stderr, "untyped error %d: %s\n", error.exit_code(), error.message().c_str());
    std::abort();
  }
}

}  // namespace schemagate::fuzz
