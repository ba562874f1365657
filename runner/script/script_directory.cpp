#include "script/script_directory.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "script/migration_parser.h"

namespace schemagate::script {
namespace fs = std::filesystem;

namespace {

Result<std::string> read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return Error(ErrorCode::kInvalid, path.string() + ": cannot be read; check its permissions");
  }
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

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
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(versions, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  if (ec) return Error(ErrorCode::kInvalid, versions.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());

  std::vector<Migration> migrations;
  std::vector<std::string> sources;
  std::string problems;
  for (const fs::path& file : files) {
    Result<std::string> text = read_file(file);
    Result<Migration> migration =
        text ? parse_migration(file.string(), *text) : Result<Migration>(text.error());
    Status name_ok = migration ? check_file_name(file, *migration) : Status(migration.error());
    if (!name_ok) {
      problems += (problems.empty() ? "" : "\n") + name_ok.error().message();
      continue;
    }
    sources.push_back(file.string());
    migrations.push_back(std::move(migration).value());
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);

  std::vector<Revision> revisions;
  revisions.reserve(migrations.size());
  for (const Migration& migration : migrations) revisions.push_back(migration.revision);
  Result<RevisionMap> map = RevisionMap::build(std::move(revisions), std::move(sources));
  if (!map) return map.error();
  return ScriptDirectory(root, std::move(migrations), std::move(map).value());
}

}  // namespace schemagate::script
