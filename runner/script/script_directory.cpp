#include "script/script_directory.h"

#include "schemagate/common/files.h"
#include "script/migration_parser.h"
#include "script/repeatable.h"

namespace schemagate::script {
namespace fs = std::filesystem;

namespace {

Status check_file_name(const fs::path& path, const Migration& migration) {
  std::string name = path.filename().string();
  const std::string& id = migration.revision.id;
  if (name == id + ".sql" || name.rfind(id + "_", 0) == 0) return {};
  return Error(ErrorCode::kInvalid, path.string() + ": declares revision " + id +
                                        " but its name does not start with it; rename it to " +
                                        id + "_<slug>.sql");
}

}  // namespace

Result<ScriptDirectory> ScriptDirectory::load(const fs::path& root) {
  fs::path versions = root / "versions";
  std::error_code ec;
  if (!fs::is_directory(versions, ec)) {
    return Error(ErrorCode::kInvalid,
                 "migration directory " + versions.string() +
                     " does not exist; run `schemagate init` or point --dir at your migrations");
  }
  Result<std::vector<files::Entry>> entries = files::list_directory(versions);
  if (!entries) return entries.error();
  std::vector<fs::path> sql_files;
  for (const files::Entry& entry : *entries) {
    if (entry.path.extension() != ".sql") continue;
    if (entry.type == fs::file_type::regular) {
      sql_files.push_back(entry.path);
    } else if (entry.type == fs::file_type::not_found) {
      return Error(ErrorCode::kInvalid, entry.path.string() +
                                            ": a link to a file that does not exist; restore "
                                            "its target or remove the link");
    }
  }

  std::vector<Migration> migrations;
  std::vector<Migration> repeatables;
  std::vector<std::string> sources;
  std::string problems;
  for (const fs::path& file : sql_files) {
    Result<std::string> text = files::read_file(file);
    Result<Migration> migration =
        text ? parse_migration(file.string(), *text) : Result<Migration>(text.error());
    Status name_ok = migration ? check_file_name(file, *migration) : Status(migration.error());
    if (!name_ok) {
      problems += (problems.empty() ? "" : "\n") + name_ok.error().message();
      continue;
    }
    if (migration->repeatable) {
      repeatables.push_back(std::move(migration).value());
      continue;
    }
    sources.push_back(file.string());
    migrations.push_back(std::move(migration).value());
  }
  Status distinct = check_repeatable_ids(repeatables, migrations);
  if (!distinct) problems += (problems.empty() ? "" : "\n") + distinct.error().message();
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);
  order_repeatables(repeatables);

  std::vector<Revision> revisions;
  std::vector<DirectiveLines> lines;
  revisions.reserve(migrations.size());
  for (const Migration& migration : migrations) {
    revisions.push_back(migration.revision);
    lines.push_back(migration.lines);
  }
  Result<RevisionMap> map =
      RevisionMap::build(std::move(revisions), std::move(sources), std::move(lines));
  if (!map) return map.error();
  return ScriptDirectory(root, std::move(migrations), std::move(map).value(),
                         std::move(repeatables));
}

}  // namespace schemagate::script
