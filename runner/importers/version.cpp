#include "importers/version.h"

#include <cctype>

namespace schemagate::importers {

Result<Version> Version::parse(const std::string& text) {
  std::vector<std::string> parts;
  std::string part;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : '.';
    if (std::isdigit(static_cast<unsigned char>(c))) {
      part.push_back(c);
      if (part.size() == 2 && part[0] == '0') part.erase(0, 1);  // no leading zeros
      continue;
    }
    if ((c != '.' && c != '_') || part.empty()) {
      return Error(ErrorCode::kInvalid, "'" + text + "' is not a version: expected numbers "
                                        "separated by '.' or '_' (1, 1.1, 2_1, 20240101120000)");
    }
    parts.push_back(part);
    part.clear();
  }
  while (parts.size() > 1 && parts.back() == "0") parts.pop_back();
  return Version(std::move(parts));
}

std::string Version::to_string() const {
  std::string text;
  for (const std::string& part : parts_) text += (text.empty() ? "" : ".") + part;
  return text;
}

bool Version::operator<(const Version& other) const {
  for (size_t i = 0; i < parts_.size() && i < other.parts_.size(); ++i) {
    const std::string& a = parts_[i];
    const std::string& b = other.parts_[i];
    if (a.size() != b.size()) return a.size() < b.size();
    if (a != b) return a < b;
  }
  return parts_.size() < other.parts_.size();
}

}  // namespace schemagate::importers
