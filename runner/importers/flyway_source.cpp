// Flyway: `V<version>__<description>.sql` (versions such as 1, 1.1, 2_1),
// undo files `U<version>__<description>.sql`, anywhere below the location,
// each with an optional script configuration `<file>.conf` beside it.
// Placeholders (`${name}`) are refused by file and line: Flyway replaced them
// before running, and the import copies SQL byte for byte.
// Repeatable migrations (`R__<description>.sql`), which Flyway applies again
// whenever they change, become repeatable revisions.
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
  std::map<std::string, SourceRepeatable> repeatable;  // name -> migration
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
    std::optional<NameParts> parts = parse_flyway_name(base);
    bool is_repeatable = is_flyway_repeatable_name(base);
    if (!parts && !is_repeatable) {
      ignored.push_back(name);
      continue;
    }
    Result<std::string> text = source::read_text(file);
    if (!text) {
      problem(text.error().message());
      continue;
    }
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
    if (is_repeatable) {
      std::string name_part = base.substr(3, base.size() - 3 - 4);  // R__<name>.sql
      auto [it, inserted] = repeatable.emplace(
          name_part, SourceRepeatable{name_part, source::description_of(name_part), body});
      if (!inserted) {
        problem(name + ": repeatable " + name_part + " is also " + it->second.up.path +
                "; keep one");
      }
      continue;
    }
    Result<Version> version = Version::parse(parts->version);
    if (!version) {
      problem(name + ": " + version.error().message());
      continue;
    }
    std::string key = version->to_string();
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
    for (const auto& [key, migration] : repeatable) {
      if (migration.up.path != sql_name) continue;
      found = true;
      if (config->nontransactional) {
        problem(conf_name + ": executeInTransaction=false on a repeatable migration; a repeatable "
                "revision runs in one transaction with its history row: put what needs to run "
                "outside one in a versioned migration");
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
  Result<SourceHistory> history = source::finish(Format::kFlyway, std::move(migrations), problems);
  if (!history) return history;
  for (auto& [name, migration] : repeatable) history->repeatables.push_back(std::move(migration));
  return history;
}

}  // namespace schemagate::importers
