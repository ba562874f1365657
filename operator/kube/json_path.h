#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "kube/object.h"

namespace schemagate::kube {

/// The value at `path` (object fields, outermost first), or nullptr when a
/// step is missing or not an object. Reading a few fields of many kinds of
/// objects is what the operator does most, and absent fields are normal.
const Json* find_path(const Json& root, std::initializer_list<const char*> path);

/// The string at `path`, or "" when absent or not a string.
std::string string_at(const Json& root, std::initializer_list<const char*> path);
/// The integer at `path`, or nullopt when absent or not an integer.
std::optional<int64_t> integer_at(const Json& root, std::initializer_list<const char*> path);
/// The boolean at `path`, or `fallback` when absent or not a boolean.
bool bool_at(const Json& root, std::initializer_list<const char*> path, bool fallback = false);

/// Sets `path` to `value`, creating the objects on the way (replacing
/// anything at a step that is not an object).
void set_path(Json& root, std::initializer_list<const char*> path, Json value);

}  // namespace schemagate::kube
