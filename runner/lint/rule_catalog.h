#pragma once

#include <string>
#include <vector>

#include "lint/finding.h"

namespace schemagate::lint {

/// One rule of `schemagate lint`, as docs/lint.md describes it.
struct Rule {
  const char* id;
  Severity severity;    ///< its default; schemagate.yaml's `lint.rules` may change it
  const char* summary;  ///< what it catches, one line
  const char* why;      ///< what goes wrong in production
  const char* rewrite;  ///< the safe way, in general terms
};

/// Every rule, sorted by id.
const std::vector<Rule>& rule_catalog();
/// nullptr for an unknown id.
const Rule* find_rule(const std::string& id);

}  // namespace schemagate::lint
