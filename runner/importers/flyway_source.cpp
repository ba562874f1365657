// Flyway: `V<version>__<description>.sql` (versions such as 1, 1.1, 2_1),
// undo files `U<version>__<description>.sql`, anywhere below the location,
// each with an optional script configuration `<file>.conf` beside it.
// Placeholders (`${name}`) are refused by file and line: Flyway replaced them
// before running, and the import copies SQL byte for byte.
// Repeatable migrations (`R__<description>.sql`) are re-applied by Flyway
// whenever they change; a linear chain of revisions cannot express that, so
// they are refused by name rather than silently left out.
#include <algorithm>
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
  std::map<std::string, fs::path> configs;  // the .sql it configures -> the .conf
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const fs::path& file : *files) {
    std::string name = file.lexically_relative(directory).generic_string();
    std::string base = file.filename().string();
    const std::string conf_suffix = ".sql.conf";
    if (base.size() > conf_suffix.size() &&
        base.compare(base.size() - conf_suffix.size(), conf_suffix.size(), conf_suffix) == 0) {
      configs.emplace(name.substr(0, name.size() - 5), file);
      continue;
    }
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
    if (std::optional<Placeholder> placeholder = find_flyway_placeholder(*text)) {
      int line = 1 + static_cast<int>(std::count(text->begin(),
                                                 text->begin() + static_cast<std::ptrdiff_t>(
                                                                     placeholder->offset),
                                                 '\n'));
      problem(name + ":" + std::to_string(line) + ": Flyway placeholder " + placeholder->text +
              ": Flyway replaced it before running the SQL, and the import copies SQL as "
              "written; put the value it had in the file (if placeholder replacement was off, "
              "the text is literal: write it so it does not read as ${...}, e.g. '$' || '{')");
      continue;
    }
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

  for (const auto& [sql_name, conf] : configs) {
    std::string conf_name = conf.lexically_relative(directory).generic_string();
    Result<std::string> text = source::read_text(conf);
    Result<FlywayScriptConfig> config =
        text ? parse_flyway_script_config(conf_name, *text) : Result<FlywayScriptConfig>(text.error());
    if (!config) {
      problem(config.error().message());
      continue;
    }
    bool found = false;
    for (auto& [key, migration] : versioned) {
      if (migration.up.path == sql_name) {
        migration.declared_nontransactional |= config->nontransactional;
        found = true;
      }
    }
    for (const auto& [key, body] : undo) {
      if (body.path != sql_name) continue;
      found = true;
      auto owner = versioned.find(key);
      if (owner != versioned.end()) owner->second.declared_nontransactional |= config->nontransactional;
    }
    if (!found) {
      problem(conf_name + ": configures " + sql_name + ", which is not a versioned or undo "
              "migration here; rename or remove it");
    }
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
