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

/// True for a well-formed revision id: 12 lowercase hex characters.
bool is_revision_id(const std::string& text);

}  // namespace schemagate::script
