// dbmate: one file per migration, `<version>_<name>.sql`, holding a
// `-- migrate:up` section and an optional `-- migrate:down` section; either
// marker may carry `transaction:false`.
#include "importers/source_history.h"
#include "importers/source_text.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

Result<SourceHistory> read_dbmate(const fs::path& directory) {
  Result<std::vector<fs::path>> files = source::regular_files(directory, false);
  if (!files) return files.error();

  std::vector<SourceMigration> migrations;
  std::vector<std::string> ignored;
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const fs::path& file : *files) {
    std::string name = file.filename().string();
    std::optional<NameParts> parts = parse_dbmate_name(name);
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
    Result<SourceMigration> migration =
        parse_dbmate_text(name, *version, source::description_of(parts->description), *text);
    if (!migration) {
      problem(migration.error().message());
      continue;
    }
    migrations.push_back(std::move(migration).value());
  }
  source::log_ignored(Format::kDbmate, ignored);
  return source::finish(Format::kDbmate, std::move(migrations), problems);
}

}  // namespace schemagate::importers
