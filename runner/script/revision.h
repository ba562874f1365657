#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace schemagate::script {

/// When a revision may run relative to a rollout of the application (see
/// docs/expand-contract.md): expand revisions keep the schema usable by the
/// old and the new version of the application, so they run before the new
/// version rolls out; contract revisions remove what only the old version
/// used, so they run once no old instance is left.
enum class Phase { kExpand, kContract };

inline const char* to_string(Phase phase) {
  return phase == Phase::kExpand ? "expand" : "contract";
}

/// A node of the revision graph, as declared in a migration file's header.
/// Tests build graphs from these directly, without files.
struct Revision {
  std::string id;
  std::vector<std::string> parents;        ///< down revisions; empty for a base
  std::vector<std::string> branch_labels;  ///< labels declared on this revision
  std::string message;
  Phase phase = Phase::kExpand;  ///< `-- schemagate:phase`; expand when absent
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
inline bool is_revision_id_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
/// True for an id as schemagate makes them (12 lowercase hex characters):
/// a branch label may not look like one.
bool looks_generated(const std::string& text);

}  // namespace schemagate::script
