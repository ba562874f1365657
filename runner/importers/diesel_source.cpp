// diesel: one directory per migration, `<version>_<name>/up.sql` and an
// optional `down.sql`; the version is the part before the first `_` without
// its dashes (`2024-01-31-120000` is `20240131120000`). `metadata.toml` may
// say `run_in_transaction = false`.
#include <algorithm>

#include "importers/source_history.h"
#include "importers/source_text.h"
#include "schemagate/common/files.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

namespace {

bool runs_outside_transaction(const fs::path& metadata) {
  std::error_code ec;
  if (!fs::is_regular_file(metadata, ec)) return false;
  Result<std::string> text = source::read_text(metadata);
  return text && diesel_runs_outside_transaction(*text);
}

}  // namespace

Result<SourceHistory> read_diesel(const fs::path& directory) {
  Result<std::vector<files::Entry>> entries = files::list_directory(directory);
  if (!entries) return entries.error();

  std::vector<SourceMigration> migrations;
  std::vector<std::string> ignored;
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const files::Entry& listed : *entries) {
    const fs::path& entry = listed.path;
    std::string name = entry.filename().string();
    std::optional<NameParts> parts = parse_diesel_name(name);
    std::error_code ec;
    if (listed.type != fs::file_type::directory || !parts) {
      ignored.push_back(name);
      continue;
    }
    if (!fs::is_regular_file(entry / "up.sql", ec)) {
      problem(name + ": a diesel migration directory without up.sql; add it or remove the "
                     "directory");
      continue;
    }
    std::string digits = parts->version;
    digits.erase(std::remove(digits.begin(), digits.end(), '-'), digits.end());
    Result<Version> version = Version::parse(digits);
    Result<std::string> up = source::read_text(entry / "up.sql");
    if (!version || !up) {
      problem(!up ? up.error().message() : name + ": " + version.error().message());
      continue;
    }
    SourceMigration migration{*version, source::description_of(parts->description),
                              {std::move(up).value(), name + "/up.sql", 1}, std::nullopt,
                              runs_outside_transaction(entry / "metadata.toml")};
    if (fs::is_regular_file(entry / "down.sql", ec)) {
      Result<std::string> down = source::read_text(entry / "down.sql");
      if (!down) {
        problem(down.error().message());
        continue;
      }
      migration.down = SourceBody{std::move(down).value(), name + "/down.sql", 1};
    }
    migrations.push_back(std::move(migration));
  }
  source::log_ignored(Format::kDiesel, ignored);
  return source::finish(Format::kDiesel, std::move(migrations), problems);
}

}  // namespace schemagate::importers
