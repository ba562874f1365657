#include "commands/revision_format.h"

namespace schemagate::commands {

std::string describe_revision(const script::RevisionMap& map, script::RevisionMap::Index index) {
  std::string text = map.id(index);
  const auto& own = map.revision(index).branch_labels;
  if (!own.empty()) {
    text += " (";
    for (size_t i = 0; i < own.size(); ++i) text += (i ? ", " : "") + own[i];
    text += ")";
  }
  if (map.children(index).empty()) text += " (head)";
  if (map.is_branch_point(index)) text += " (branchpoint)";
  if (map.is_merge_point(index)) text += " (mergepoint)";
  return text;
}

}  // namespace schemagate::commands
