#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace schemagate::testing {

/// A fresh directory under the system temp dir, removed with its contents
/// when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// Writes `text` to `relative` (parent directories created).
  std::filesystem::path write(const std::string& relative, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

/// The text of a migration file with the given header values and bodies.
std::string migration_text(const std::string& id, const std::vector<std::string>& parents,
                           const std::string& up = "SELECT 1;\n",
                           const std::string& down = "SELECT 1;\n",
                           const std::string& extra_header = "");

/// Writes migration_text(...) to `<root>/versions/<id>_test.sql`.
void write_migration(const TempDir& dir, const std::string& id,
                     const std::vector<std::string>& parents, const std::string& extra_header = "");

}  // namespace schemagate::testing
