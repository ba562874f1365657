#include "script/repeatable.h"

#include <algorithm>

namespace schemagate::script {
namespace {

std::string where(const Migration& migration) {
  return migration.path + ":" + std::to_string(std::max(migration.lines.revision, 1));
}

}  // namespace

Status check_repeatable_ids(const std::vector<Migration>& repeatables,
                            const std::vector<Migration>& versioned) {
  std::map<std::string, const Migration*> seen;
  for (const Migration& migration : versioned) seen.emplace(migration.revision.id, &migration);
  std::string problems;
  for (const Migration& migration : repeatables) {
    auto [it, inserted] = seen.emplace(migration.revision.id, &migration);
    if (inserted) continue;
    problems += (problems.empty() ? "" : "\n") + where(migration) + ": repeatable revision id " +
                migration.revision.id + " is also declared by " + it->second->path +
                "; every revision needs its own id";
  }
  if (problems.empty()) return {};
  return Error(ErrorCode::kInvalid, problems);
}

void order_repeatables(std::vector<Migration>& repeatables) {
  std::sort(repeatables.begin(), repeatables.end(), [](const Migration& a, const Migration& b) {
    if (a.revision.message != b.revision.message) return a.revision.message < b.revision.message;
    return a.revision.id < b.revision.id;
  });
}

std::vector<const Migration*> changed_repeatables(
    const std::vector<Migration>& repeatables,
    const std::map<std::string, std::string>& recorded) {
  std::vector<const Migration*> changed;
  for (const Migration& migration : repeatables) {
    auto it = recorded.find(migration.revision.id);
    if (it == recorded.end() || it->second != migration.checksum()) changed.push_back(&migration);
  }
  return changed;
}

}  // namespace schemagate::script
