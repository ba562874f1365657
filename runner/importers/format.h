#pragma once

#include <optional>
#include <string>

namespace schemagate::importers {

/// The migration tools whose histories `schemagate import` reads.
enum class Format { kGolangMigrate, kFlyway, kDbmate, kDiesel };

/// "golang-migrate", "flyway", "dbmate", "diesel": as spelled on the command
/// line and in derived revision ids.
const char* format_name(Format format);
/// The table in which the tool records what it applied, on every engine.
const char* version_table_of(Format format);
/// The format spelled `name`, or nothing.
std::optional<Format> parse_format(const std::string& name);

}  // namespace schemagate::importers
