#include "importers/repeatable_import.h"

#include <array>
#include <filesystem>

#include "importers/transaction_mode.h"
#include "schemagate/common/sha256.h"
#include "script/migration_parser.h"
#include "script/revision_writer.h"

namespace schemagate::importers {
namespace {

std::array<uint32_t, 256> crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

/// The body as its own file would parse back, or an error naming the line
/// that would not (a `-- schemagate:` comment read as a directive).
Status survives_round_trip(const script::Migration& migration, const std::string& text,
                           const std::string& source) {
  Result<script::Migration> parsed = script::parse_migration(source, text);
  if (parsed && parsed->up.sql == migration.up.sql) return {};
  return Error(ErrorCode::kInvalid,
               source + ": a '-- schemagate:' comment line would be read as a directive of the "
                        "imported file; reword the comment");
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

std::string derive_repeatable_id(Format format, const std::string& name) {
  return sha256_hex(std::string(format_name(format)) + ":R:" + name).substr(0, 12);
}

Result<std::vector<ImportedRepeatable>> build_repeatables(const SourceHistory& history) {
  std::vector<ImportedRepeatable> imported;
  std::string problems;
  auto problem = [&](const std::string& text) {
    problems += (problems.empty() ? "" : "\n") + text;
  };
  for (const SourceRepeatable& source : history.repeatables) {
    // The mode is decided by the bodies alone; the version is a stand-in.
    Result<TransactionMode> mode = detect_transaction_mode(SourceMigration{
        Version::parse("0").value(), source.description, source.up, std::nullopt, false});
    if (!mode) {
      problem(mode.error().message());
      continue;
    }
    if (!mode->transactional) {
      problem(source.up.path + ": holds a statement that cannot run in a transaction "
                               "(CONCURRENTLY, VACUUM); a repeatable revision runs in one "
                               "transaction with its history row: move that statement into a "
                               "versioned migration");
      continue;
    }
    ImportedRepeatable repeatable{script::Migration{}, source.up.path};
    script::Migration& migration = repeatable.migration;
    migration.revision.id = derive_repeatable_id(history.format, source.name);
    migration.revision.message = source.description.empty() ? source.name : source.description;
    migration.repeatable = true;
    migration.wrapped_transaction = mode->wrapped_transaction;
    migration.up = script::Body{source.up.sql, 0};
    Status kept = survives_round_trip(migration, render_imported(history.format, repeatable),
                                      source.up.path);
    if (!kept) {
      problem(kept.error().message());
      continue;
    }
    imported.push_back(std::move(repeatable));
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);
  return imported;
}

std::string render_imported(Format format, const ImportedRepeatable& repeatable) {
  return "-- imported from " + std::string(format_name(format)) + " repeatable migration " +
         repeatable.source + "\n" + script::render_migration(repeatable.migration);
}

int32_t flyway_checksum(const std::string& text) {
  static const std::array<uint32_t, 256> table = crc_table();
  uint32_t crc = 0xFFFFFFFFu;
  size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  // Lines end at \n, \r or \r\n, as Java's BufferedReader.readLine reads
  // them; the ends themselves are not hashed.
  for (size_t i = start; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r') continue;
    crc = table[(crc ^ c) & 0xFFu] ^ (crc >> 8);
  }
  return static_cast<int32_t>(crc ^ 0xFFFFFFFFu);
}

std::vector<const ImportedRepeatable*> adopted_repeatables(
    const std::vector<ImportedRepeatable>& repeatables, const AppliedVersions& applied) {
  std::vector<const ImportedRepeatable*> adopted;
  for (const ImportedRepeatable& repeatable : repeatables) {
    for (const auto& [script, checksum] : applied.repeatables) {
      if (script != repeatable.source && file_name(script) != file_name(repeatable.source)) {
        continue;
      }
      if (checksum && *checksum == flyway_checksum(repeatable.migration.up.sql)) {
        adopted.push_back(&repeatable);
      }
      break;
    }
  }
  return adopted;
}

}  // namespace schemagate::importers
