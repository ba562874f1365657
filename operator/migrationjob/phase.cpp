#include "migrationjob/phase.h"

namespace schemagate::migrationjob {
namespace {

constexpr bool rows_in_enum_order() {
  int index = 0;
  for (const PhaseName& row : kPhases) {
    if (static_cast<int>(row.phase) != index++) return false;
  }
  return true;
}
static_assert(rows_in_enum_order(), "kPhases has one row per Phase, in the enum's order");

}  // namespace

const char* to_string(Phase phase) {
  for (const PhaseName& row : kPhases) {
    if (row.phase == phase) return row.name;
  }
  return "Unknown";  // an enumerator without its row: phase_test fails on it
}

std::optional<Phase> parse_phase(const std::string& text) {
  for (const PhaseName& row : kPhases) {
    if (text == row.name) return row.phase;
  }
  return std::nullopt;
}

}  // namespace schemagate::migrationjob
