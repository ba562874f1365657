#include "script/revision_writer.h"

#include <cctype>
#include <fstream>

namespace schemagate::script {

std::string new_revision_id(std::mt19937_64& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = random();
  std::string id(12, '0');
  for (char& c : id) {
    c = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

std::string slug_for(const std::string& message) {
  constexpr size_t kMaxLength = 40;
  std::string slug;
  for (char c : message) {
    if (slug.size() >= kMaxLength) break;
    if (std::isalnum(static_cast<unsigned char>(c))) {
      slug.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!slug.empty() && slug.back() != '_') {
      slug.push_back('_');
    }
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug.empty() ? "revision" : slug;
}

std::string render_migration(const Migration& migration) {
  const Revision& revision = migration.revision;
  std::string text = "-- schemagate:revision " + revision.id + "\n";
  if (!revision.parents.empty()) {
    text += "-- schemagate:parents ";
    for (size_t i = 0; i < revision.parents.size(); ++i) {
      text += (i ? ", " : "") + revision.parents[i];
    }
    text += "\n";
  }
  text += "-- schemagate:message " + revision.message + "\n";
  if (!revision.branch_labels.empty()) {
    text += "-- schemagate:branch-labels ";
    for (size_t i = 0; i < revision.branch_labels.size(); ++i) {
      text += (i ? ", " : "") + revision.branch_labels[i];
    }
    text += "\n";
  }
  text += std::string("-- schemagate:transactional ") +
          (migration.transactional ? "true" : "false") + "\n";
  if (migration.wrapped_transaction) text += "-- schemagate:wrapped-transaction true\n";
  if (migration.repeatable) text += "-- schemagate:repeatable true\n";
  if (revision.phase == Phase::kContract) text += "-- schemagate:phase contract\n";
  text += "\n";
  text += "-- schemagate:up\n" + migration.up.sql;
  if (migration.down) text += "\n-- schemagate:down\n" + migration.down->sql;
  return text;
}

Result<std::filesystem::path> write_new_migration(const std::filesystem::path& versions_dir,
                                                  const Migration& migration) {
  std::filesystem::path path =
      versions_dir / (migration.revision.id + "_" + slug_for(migration.revision.message) + ".sql");
  if (std::filesystem::exists(path)) {
    return Error(ErrorCode::kInvalid, path.string() + " already exists; not overwriting it");
  }
  std::ofstream stream(path, std::ios::binary);
  stream << render_migration(migration);
  stream.close();
  if (!stream) {
    return Error(ErrorCode::kInvalid, path.string() + ": cannot be written; check the directory");
  }
  return path;
}

}  // namespace schemagate::script
