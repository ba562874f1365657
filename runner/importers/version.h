#pragma once

#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::importers {

/// A migration version as the other tools order them: numbers separated by
/// `.` or `_` (Flyway's `2_1` is `2.1`), compared numerically part by part,
/// so `10` comes after `9` and `1.1` between `1` and `2`. Leading zeros and
/// trailing zero parts do not count (`001` is `1`, Flyway's `1.0` is `1`).
class Version {
 public:
  /// Parses `text`; an error when it is not digits with `.`/`_` between.
  static Result<Version> parse(const std::string& text);

  /// The canonical spelling (`2.1`, `20200101120000`): what the derived
  /// revision id is computed from, and what the tools' tables are matched by.
  std::string to_string() const;

  bool operator<(const Version& other) const;
  bool operator==(const Version& other) const { return parts_ == other.parts_; }
  bool operator!=(const Version& other) const { return !(*this == other); }

 private:
  explicit Version(std::vector<std::string> parts) : parts_(std::move(parts)) {}

  std::vector<std::string> parts_;  ///< digit strings without leading zeros ("0" for zero)
};

}  // namespace schemagate::importers
