#pragma once

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "schemagate/common/error.h"

namespace schemagate {

/// Either a value or an error of type E: what fallible functions return
/// instead of throwing halfway through (in the spirit of absl::StatusOr).
template <typename T, typename E>
class BasicResult {
 public:
  BasicResult(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  BasicResult(E error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { assert(ok()); return std::get<T>(state_); }
  T& value() & { assert(ok()); return std::get<T>(state_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const E& error() const { assert(!ok()); return std::get<E>(state_); }

 private:
  std::variant<T, E> state_;
};

/// A value or a schemagate Error.
template <typename T>
using Result = BasicResult<T, Error>;

/// Success, or an Error.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(!ok()); return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace schemagate
