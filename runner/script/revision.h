#pragma once

#include <cstddef>
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

/// The longest revision id: the version table's column is varchar(32), as
/// Alembic's alembic_version.version_num, so that the two can share it.
inline constexpr size_t kMaxRevisionIdBytes = 32;

/// True for a well-formed revision id: 1 to 32 ASCII letters, digits and
/// underscores, and not a target keyword (head, heads, base). New revisions
/// get 12 random lowercase hex characters; ids imported from Alembic, such as
/// `0001_initial`, are kept as they are. None holds `+`, `-`, `@` or `:`,
/// which targets use (`REV+1`, `label@REV`, `FROM:TO`).
bool is_revision_id(const std::string& text);
bool is_revision_id_char(char c);
/// True for an id as schemagate makes them (12 lowercase hex characters):
/// a branch label may not look like one.
bool looks_generated(const std::string& text);

}  // namespace schemagate::script
