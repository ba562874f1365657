#pragma once

#include <optional>
#include <string>

namespace schemagate::migrationjob {

/// status.phase of a MigrationJob. A new phase is an enumerator here and its
/// row in kPhases below: status, the printer column and the
/// schemagate_migrationjobs{phase} series take the name from there.
enum class Phase { kPending, kRunning, kSucceeded, kFailed };

struct PhaseName {
  Phase phase;
  const char* name;  ///< as status.phase has it
};

/// Every phase with its name, in the enum's order; the metrics create a
/// series for each.
inline constexpr PhaseName kPhases[] = {
    {Phase::kPending, "Pending"},
    {Phase::kRunning, "Running"},
    {Phase::kSucceeded, "Succeeded"},
    {Phase::kFailed, "Failed"},
};

/// The phase as status.phase writes it ("Pending", ...).
const char* to_string(Phase phase);

/// The phase status.phase names; nullopt for text no phase has.
std::optional<Phase> parse_phase(const std::string& text);

/// Succeeded or Failed: the generation's Job has run its course.
inline bool finished(Phase phase) { return phase == Phase::kSucceeded || phase == Phase::kFailed; }

}  // namespace schemagate::migrationjob
