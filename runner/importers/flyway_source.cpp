// Flyway: `V<version>__<description>.sql` (versions such as 1, 1.1, 2_1),
// undo files `U<version>__<description>.sql`, anywhere below the location.
// Repeatable migrations (`R__<description>.sql`) are re-applied by Flyway
// whenever they change; a linear chain of revisions cannot express that, so
// they are refused by name rather than silently left out.
#include <algorithm>
#include <map>
#include <regex>

#include "importers/source_history.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

Result<SourceHistory> read_flyway(const fs::path& directory) {
  static const std::regex kVersioned(R"(^([VU])([0-9]+(?:[._][0-9]+)*)__(.*)\.sql$)");
  static const std::regex kRepeatable(R"(^R__.*\.sql$)");
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::map<std::string, SourceMigration> versioned;  // canonical version -> migration
  std::map<std::string, SourceBody> undo;
  std::vector<std::string> ignored;
  std::vector<std::string> repeatable;
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const fs::path& file : files) {
    std::string name = fs::relative(file, directory).generic_string();
    std::string base = file.filename().string();
    std::smatch match;
    if (std::regex_match(base, kRepeatable)) {
      repeatable.push_back(name);
      continue;
    }
    if (!std::regex_match(base, match, kVersioned)) {
      ignored.push_back(name);
      continue;
    }
    Result<Version> version = Version::parse(match[2]);
    Result<std::string> text = source::read_text(file);
    if (!version || !text) {
      problem(!text ? text.error().message() : name + ": " + version.error().message());
      continue;
    }
    std::string key = version->to_string();
    SourceBody body{std::move(text).value(), name, 1};
    if (match[1] == "V") {
      auto [it, inserted] = versioned.emplace(
          key, SourceMigration{*version, source::description_of(match[3]), body, std::nullopt,
                               false});
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
