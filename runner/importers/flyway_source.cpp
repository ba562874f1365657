// Flyway: `V<version>__<description>.sql` (versions such as 1, 1.1, 2_1),
// undo files `U<version>__<description>.sql`, anywhere below the location.
// Repeatable migrations (`R__<description>.sql`) are re-applied by Flyway
// whenever they change; a linear chain of revisions cannot express that, so
// they are refused by name rather than silently left out.
#include <map>

#include "importers/source_history.h"
#include "importers/source_text.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

Result<SourceHistory> read_flyway(const fs::path& directory) {
  Result<std::vector<fs::path>> files = source::regular_files(directory, true);
  if (!files) return files.error();

  std::map<std::string, SourceMigration> versioned;  // canonical version -> migration
  std::map<std::string, SourceBody> undo;
  std::vector<std::string> ignored;
  std::vector<std::string> repeatable;
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const fs::path& file : *files) {
    std::string name = file.lexically_relative(directory).generic_string();
    std::string base = file.filename().string();
    if (is_flyway_repeatable_name(base)) {
      repeatable.push_back(name);
      continue;
    }
    std::optional<NameParts> parts = parse_flyway_name(base);
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
    std::string key = version->to_string();
    SourceBody body{std::move(text).value(), name, 1};
    if (parts->kind == "V") {
      auto [it, inserted] = versioned.emplace(
          key, SourceMigration{*version, source::description_of(parts->description), body,
                               std::nullopt, false});
      if (!inserted) {
        problem(name + ": version " + key + " is also used by " + it->second.up.path +
                "; every migration needs its own version");
      }
    } else if (!undo.emplace(key, body).second) {
      problem(name + ": a second undo file for version " + key + " besides " +
              undo.at(key).path + "; keep one");
    }
  }
  for (const std::string& name : repeatable) {
    problem(name + ": repeatable Flyway migrations are not supported (a linear revision chain "
                   "cannot re-run a file whenever it changes); move its SQL into a versioned "
                   "V<version>__ file, or remove it from the directory, and import again");
  }

  std::vector<SourceMigration> migrations;
  for (auto& [key, migration] : versioned) {
    auto down = undo.find(key);
    if (down != undo.end()) {
      migration.down = std::move(down->second);
      undo.erase(down);
    }
    migrations.push_back(std::move(migration));
  }
  for (const auto& [key, body] : undo) {
    problem(body.path + ": an undo file for version " + key +
            ", which has no V" + key + "__ migration; add it or remove the undo file");
  }
  source::log_ignored(Format::kFlyway, ignored);
  return source::finish(Format::kFlyway, std::move(migrations), problems);
}

}  // namespace schemagate::importers
