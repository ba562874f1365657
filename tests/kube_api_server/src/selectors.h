#pragma once

#include <string>
#include <vector>

#include <cpprest/json.h>

#include "api_error.h"

namespace schemagate::testing::kube {

/// A parsed `labelSelector` query parameter: `a=b,c!=d,e in (f,g),h notin (i),j,!k`.
class LabelSelector {
 public:
  /// Parses the selector text; an empty text selects everything.
  static ApiResult<LabelSelector> parse(const std::string& text);

  /// True when the object's metadata.labels satisfy every requirement.
  bool matches(const web::json::value& object) const;

 private:
  enum class Operator { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist };
  struct Requirement {
    std::string key;
    Operator op;
    std::vector<std::string> values;
  };

  std::vector<Requirement> requirements_;
};

/// A parsed `fieldSelector`: `metadata.name=x,metadata.namespace!=y`. Only
/// the fields the resource supports may be named, as on the real server.
class FieldSelector {
 public:
  static ApiResult<FieldSelector> parse(const std::string& text,
                                        const std::vector<std::string>& supported_fields);

  bool matches(const web::json::value& object) const;

 private:
  struct Requirement {
    std::string field;
    bool equals;
    std::string value;
  };

  std::vector<Requirement> requirements_;
};

}  // namespace schemagate::testing::kube
