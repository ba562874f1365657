#include "importers/adoption.h"

#include <algorithm>
#include <set>

namespace schemagate::importers {
namespace {

Error refused(const AppliedVersions& applied, const std::string& message) {
  return Error(ErrorCode::kStateRefused, applied.table + ": " + message);
}

}  // namespace

AppliedVersions replay_flyway_history(const std::vector<FlywayRow>& rows) {
  AppliedVersions applied;
  applied.table = "flyway_schema_history";
  std::vector<std::string>& versions = applied.versions;
  for (const FlywayRow& row : rows) {
    if (!row.version || row.type == "SCHEMA") continue;
    if (!row.success) {
      applied.failure = "Flyway records a failed migration, version " + *row.version + " (" +
                        row.script + "); run `flyway repair` after fixing it";
      continue;
    }
    auto found = std::find(versions.begin(), versions.end(), *row.version);
    if (row.type == "BASELINE") {
      applied.baseline = *row.version;
    } else if (row.type.rfind("UNDO_", 0) == 0 || row.type == "DELETE") {
      if (found != versions.end()) versions.erase(found);
    } else if (found == versions.end()) {
      versions.push_back(*row.version);
      if (row.type == "JDBC" || row.type == "SPRING_JDBC" || row.type == "SCRIPT") {
        applied.code_versions.push_back(*row.version);
      }
    }
  }
  return applied;
}

namespace {

std::optional<size_t> position_in(const std::vector<ImportedRevision>& chain,
                                  const std::string& text) {
  Result<Version> version = Version::parse(text);
  for (size_t i = 0; version && i < chain.size(); ++i) {
    if (chain[i].version == *version) return i;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> code_versions_without_files(const std::vector<ImportedRevision>& chain,
                                                     const AppliedVersions& applied) {
  std::vector<std::string> missing;
  for (const std::string& version : applied.code_versions) {
    if (!position_in(chain, version)) missing.push_back(version);
  }
  return missing;
}

Result<std::optional<size_t>> adopted_position(const std::vector<ImportedRevision>& chain,
                                               const AppliedVersions& applied) {
  if (!applied.failure.empty()) {
    return refused(applied, applied.failure + "; finish or undo that migration by hand, clear the "
                                              "failure with the tool, then adopt");
  }
  std::set<size_t> positions;
  std::vector<std::string> code = code_versions_without_files(chain, applied);
  auto position_of = [&](const std::string& text) -> Result<size_t> {
    if (std::optional<size_t> position = position_in(chain, text)) return *position;
    return refused(applied, "version " + text +
                                " is recorded as applied but the imported files have no such "
                                "migration; import the directory this database was migrated "
                                "from");
  };
  for (const std::string& text : applied.versions) {
    if (std::find(code.begin(), code.end(), text) != code.end()) continue;
    Result<size_t> position = position_of(text);
    if (!position) return position.error();
    positions.insert(*position);
    if (applied.latest_only) {
      for (size_t i = 0; i < *position; ++i) positions.insert(i);
    }
  }
  if (applied.baseline) {
    Result<Version> baseline = Version::parse(*applied.baseline);
    if (!baseline) return refused(applied, "baseline " + *applied.baseline + " is not a version");
    for (size_t i = 0; i < chain.size() && !(*baseline < chain[i].version); ++i) positions.insert(i);
  }
  if (positions.empty()) return std::optional<size_t>();
  size_t last = *positions.rbegin();
  std::string missing;
  for (size_t i = 0; i < last; ++i) {
    if (!positions.count(i)) missing += (missing.empty() ? "" : ", ") + chain[i].version.to_string();
  }
  if (!missing.empty()) {
    return refused(applied, "version(s) " + missing + " are not applied although the later " +
                                chain[last].version.to_string() +
                                " is (Flyway's outOfOrder, or files added below an applied "
                                "version?); a linear history cannot express that: apply them with "
                                "the tool first, then adopt");
  }
  return std::optional<size_t>(last);
}

}  // namespace schemagate::importers
