#pragma once

#include <string>
#include <vector>

namespace schemagate::script {

/// A node of the revision graph, as declared in a migration file's header.
/// Tests build graphs from these directly, without files.
struct Revision {
  std::string id;
  std::vector<std::string> parents;        ///< down revisions; empty for a base
  std::vector<std::string> branch_labels;  ///< labels declared on this revision
  std::string message;
};

/// File lines of a revision's header directives, for messages; 0 when the
/// revision does not come from a file, or the file lacks the directive.
struct DirectiveLines {
  int revision = 0;
  int parents = 0;
  int branch_labels = 0;
};

/// True for a well-formed revision id: 12 lowercase hex characters.
bool is_revision_id(const std::string& text);

}  // namespace schemagate::script
