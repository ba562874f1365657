// golang-migrate: `<version>_<name>.up.sql` and `<version>_<name>.down.sql`
// side by side in one directory; the down is optional.
#include <algorithm>
#include <map>
#include "importers/source_history.h"
#include "importers/source_text.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

Result<SourceHistory> read_golang_migrate(const fs::path& directory) {
  Result<std::vector<fs::path>> files = source::regular_files(directory, false);
  if (!files) return files.error();

  struct Pair {
    std::optional<SourceMigration> up;
    std::optional<SourceBody> down;
  };
  std::map<std::string, Pair> by_version;  // canonical version -> files
  std::vector<std::string> ignored;
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const fs::path& file : *files) {
    std::string name = file.filename().string();
    std::optional<NameParts> parts = parse_golang_migrate_name(name);
    if (!parts) {
      ignored.push_back(name);
      continue;
    }
    Result<Version> version = Version::parse(parts->version);
    Result<std::string> text = source::read_text(file);
    if (!version || !text) {
      problem(!text ? text.error().message() : name + ": " + version.error().message());
      continue;
    }
    Pair& pair = by_version[version->to_string()];
    SourceBody body{std::move(text).value(), name, 1};
    if (parts->kind == "up") {
      if (pair.up) {
        problem(name + ": version " + version->to_string() + " has a second up file besides " +
                pair.up->up.path + "; every migration needs its own version");
        continue;
      }
      pair.up = SourceMigration{*version, source::description_of(parts->description),
                                std::move(body), std::nullopt, false};
    } else {
      if (pair.down) {
        problem(name + ": version " + version->to_string() + " has a second down file besides " +
                pair.down->path + "; keep one");
        continue;
      }
      pair.down = std::move(body);
    }
  }

  std::vector<SourceMigration> migrations;
  for (auto& [version, pair] : by_version) {
    if (!pair.up) {
      if (pair.down) {
        problem(pair.down->path + ": a down migration without its up file (" + version +
                "_<name>.up.sql); add the up file or remove this one");
      }
      continue;
    }
    pair.up->down = std::move(pair.down);
    migrations.push_back(std::move(*pair.up));
  }
  source::log_ignored(Format::kGolangMigrate, ignored);
  return source::finish(Format::kGolangMigrate, std::move(migrations), problems);
}

}  // namespace schemagate::importers
