#include "script/migration.h"

#include "schemagate/common/sha256.h"

namespace schemagate::script {

bool is_revision_id(const std::string& text) {
  if (text.empty() || text.size() > kMaxRevisionIdBytes) return false;
  // Asked of every id and parent of the history: the keywords are compared
  // only at their lengths.
  if ((text.size() == 4 || text.size() == 5) &&
      (text == "head" || text == "heads" || text == "base")) {
    return false;
  }
  for (char c : text) {
    if (!is_revision_id_char(c)) return false;
  }
  return true;
}

bool looks_generated(const std::string& text) {
  if (text.size() != 12) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string normalize_body(const std::string& sql) {
  std::string out;
  std::string pending_blank_lines;
  size_t start = 0;
  while (start <= sql.size()) {
    size_t end = sql.find('\n', start);
    if (end == std::string::npos) end = sql.size();
    std::string line = sql.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    if (line.empty()) {
      if (!out.empty()) pending_blank_lines.push_back('\n');
    } else {
      out += pending_blank_lines;
      pending_blank_lines.clear();
      out += line;
      out.push_back('\n');
    }
    start = end + 1;
  }
  return out;
}

Result<const Body*> body_for(const Migration& migration, bool downgrade) {
  if (migration.body_error) return *migration.body_error;
  if (!downgrade) return &migration.up;
  if (!migration.down) {
    return Error(ErrorCode::kInvalid, migration.path + ": revision " + migration.revision.id +
                                          " has no '-- schemagate:down' section, so it cannot "
                                          "be downgraded; add one, or stamp past it");
  }
  return &*migration.down;
}

std::string Migration::checksum() const {
  std::string material = "up\n" + normalize_body(up.sql);
  material += down ? "down\n" + normalize_body(down->sql) : "no-down\n";
  return sha256_hex(material);
}

}  // namespace schemagate::script
