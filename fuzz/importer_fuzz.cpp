// One importer on arbitrary input: the first line is a file name of the
// tool's, the rest the file's text. What the importer accepts must become a
// native file that parses back with the same SQL (the same checksum). Built
// once per format, SCHEMAGATE_FUZZ_FORMAT naming it (a Format enumerator).
#include <cstdlib>

#include "fuzz_check.h"
#include "importers/chain_builder.h"
#include "importers/source_text.h"
#include "script/migration_parser.h"

namespace {

using namespace schemagate;
using namespace schemagate::importers;

constexpr Format kFormat = Format::SCHEMAGATE_FUZZ_FORMAT;

/// The migration the tool would read from `name` holding `text`, if any.
std::optional<Result<SourceMigration>> read_one(const std::string& name, const std::string& text) {
  std::optional<NameParts> parts;
  switch (kFormat) {
    case Format::kGolangMigrate: parts = parse_golang_migrate_name(name); break;
    case Format::kFlyway:
      if (is_flyway_repeatable_name(name)) return std::nullopt;
      parts = parse_flyway_name(name);
      break;
    case Format::kDbmate: parts = parse_dbmate_name(name); break;
    case Format::kDiesel: parts = parse_diesel_name(name); break;
  }
  if (!parts) return std::nullopt;
  Result<Version> version = Version::parse(parts->version);
  if (!version) return Result<SourceMigration>(version.error());
  std::string description = source::description_of(parts->description);
  if (kFormat == Format::kDbmate) {
    return parse_dbmate_text(name, *version, description, text);
  }
  bool outside = kFormat == Format::kDiesel &&
                 diesel_runs_outside_transaction(text);
  return Result<SourceMigration>(
      SourceMigration{*version, description, {text, name, 1}, std::nullopt, outside});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input = fuzz::text_of(data, size);
  size_t newline = input.find('\n');
  if (newline == std::string::npos) return 0;
  // A file name holds neither NUL nor '/': the file system sees to that.
  if (input.substr(0, newline).find_first_of(std::string("\0/", 2)) != std::string::npos) {
    return 0;
  }
  std::optional<Result<SourceMigration>> migration =
      read_one(input.substr(0, newline), input.substr(newline + 1));
  if (!migration) return 0;
  if (!*migration) {
    fuzz::require_invalid_input(migration->error());
    return 0;
  }
  SourceHistory history{kFormat, {std::move(**migration)}};
  Result<std::vector<ImportedRevision>> chain = build_chain(history);
  if (!chain) {
    fuzz::require_invalid_input(chain.error());
    return 0;
  }
  for (const ImportedRevision& revision : *chain) {
    std::string text = render_imported(kFormat, revision);
    Result<script::Migration> parsed = script::parse_migration("versions/imported.sql", text);
    if (!parsed || parsed->checksum() != revision.migration.checksum()) {
      std::fprintf(stderr, "imported file does not parse back: %s\n",
                   parsed ? "its checksum differs" : parsed.error().message().c_str());
      std::abort();
    }
  }
  return 0;
}
