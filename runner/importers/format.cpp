#include "importers/format.h"

namespace schemagate::importers {

const char* format_name(Format format) {
  switch (format) {
    case Format::kGolangMigrate: return "golang-migrate";
    case Format::kFlyway: return "flyway";
    case Format::kDbmate: return "dbmate";
    case Format::kDiesel: return "diesel";
  }
  return "?";
}

const char* version_table_of(Format format) {
  switch (format) {
    case Format::kGolangMigrate:
    case Format::kDbmate: return "schema_migrations";
    case Format::kFlyway: return "flyway_schema_history";
    case Format::kDiesel: return "__diesel_schema_migrations";
  }
  return "";
}

std::optional<Format> parse_format(const std::string& name) {
  for (Format format : {Format::kGolangMigrate, Format::kFlyway, Format::kDbmate, Format::kDiesel}) {
    if (name == format_name(format)) return format;
  }
  return std::nullopt;
}

}  // namespace schemagate::importers
