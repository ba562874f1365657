#include "script/script_directory.h"

#include "schemagate/common/files.h"
#include "script/header_reader.h"
#include "script/migration_parser.h"
#include "script/repeatable.h"
#include "script/versions_directory.h"

namespace schemagate::script {
namespace fs = std::filesystem;

namespace {

bool same_lint_ignores(const std::vector<LintIgnore>& a, const std::vector<LintIgnore>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].rule != b[i].rule || a[i].reason != b[i].reason || a[i].line != b[i].line) {
      return false;
    }
  }
  return true;
}

/// Whether a file read whole still says what its header said at the load.
bool same_header(const Migration& a, const Migration& b) {
  return a.revision.id == b.revision.id && a.revision.parents == b.revision.parents &&
         a.revision.branch_labels == b.revision.branch_labels &&
         a.revision.message == b.revision.message && a.revision.phase == b.revision.phase &&
         a.lines.revision == b.lines.revision && a.lines.parents == b.lines.parents &&
         a.lines.branch_labels == b.lines.branch_labels && a.transactional == b.transactional &&
         a.wrapped_transaction == b.wrapped_transaction && a.repeatable == b.repeatable &&
         a.up.first_line == b.up.first_line && same_lint_ignores(a.lint_ignores, b.lint_ignores);
}

}  // namespace

ScriptDirectory::ScriptDirectory(fs::path root, std::vector<Migration> migrations, RevisionMap map,
                                 std::vector<Migration> repeatables)
    : root_(std::move(root)),
      migrations_(std::move(migrations)),
      bodies_read_(migrations_.size(), 0),
      reading_(std::make_unique<std::mutex>()),
      map_(std::move(map)),
      repeatables_(std::move(repeatables)) {}

Result<ScriptDirectory> ScriptDirectory::load(const fs::path& root, unsigned threads) {
  fs::path versions = root / "versions";
  std::error_code ec;
  if (!fs::is_directory(versions, ec)) {
    return Error(ErrorCode::kInvalid,
                 "migration directory " + versions.string() +
                     " does not exist; run `schemagate init` or point --dir at your migrations");
  }
  Result<VersionsDirectory> directory = VersionsDirectory::open(versions);
  if (!directory) return directory.error();
  Result<std::vector<std::string>> names = directory->sql_file_names();
  if (!names) return names.error();
  if (threads == kAnyThreads) threads = reading_threads(names->size());
  ReadFiles read = read_migrations(*directory, *names, threads);

  std::string problems;
  for (const auto& [file, error] : read.errors) {
    problems += (problems.empty() ? "" : "\n") + error.message();
  }
  // The versioned revisions stay where they were read; the repeatables,
  // and the files that could not be, leave their places.
  std::vector<Migration>& migrations = read.migrations;
  std::vector<Migration> repeatables;
  size_t kept = 0;
  auto failed = read.errors.begin();
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (failed != read.errors.end() && failed->first == i) {
      ++failed;
      continue;
    }
    if (migrations[i].repeatable) {
      repeatables.push_back(std::move(migrations[i]));
      continue;
    }
    if (kept != i) migrations[kept] = std::move(migrations[i]);
    ++kept;
  }
  migrations.resize(kept);
  if (!repeatables.empty()) {
    Status distinct = check_repeatable_ids(repeatables, migrations);
    if (!distinct) problems += (problems.empty() ? "" : "\n") + distinct.error().message();
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);
  order_repeatables(repeatables);

  std::vector<Revision> revisions;
  std::vector<std::string> sources;
  std::vector<DirectiveLines> lines;
  revisions.reserve(migrations.size());
  sources.reserve(migrations.size());
  lines.reserve(migrations.size());
  for (const Migration& migration : migrations) {
    revisions.push_back(migration.revision);
    sources.push_back(migration.path);
    lines.push_back(migration.lines);
  }
  Result<RevisionMap> map =
      RevisionMap::build(std::move(revisions), std::move(sources), std::move(lines));
  if (!map) return map.error();
  return ScriptDirectory(root, std::move(migrations), std::move(map).value(),
                         std::move(repeatables));
}

const Migration& ScriptDirectory::migration(RevisionMap::Index index) const {
  std::lock_guard<std::mutex> lock(*reading_);
  if (!bodies_read_[index]) {
    read_bodies(index);
    bodies_read_[index] = 1;
  }
  return migrations_[index];
}

Result<std::string> ScriptDirectory::checksum(RevisionMap::Index index) const {
  const Migration& read = migration(index);
  if (read.body_error) return *read.body_error;
  return read.checksum();
}

void ScriptDirectory::read_bodies(RevisionMap::Index index) const {
  Migration& header = migrations_[index];
  Result<std::string> text = files::read_file(header.path);
  Result<Migration> whole =
      text ? parse_migration(header.path, *text) : Result<Migration>(text.error());
  if (!whole) {
    header.body_error = whole.error();
  } else if (!same_header(*whole, header)) {
    header.body_error = Error(ErrorCode::kInvalid,
                              header.path + ": its header changed while schemagate was running "
                                            "(the graph was planned from the old one); run again");
  } else {
    header.up = std::move(whole->up);
    header.down = std::move(whole->down);
  }
}

}  // namespace schemagate::script
