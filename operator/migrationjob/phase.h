#pragma once

#include <optional>
#include <string>

namespace schemagate::migrationjob {

/// status.phase of a MigrationJob. A new phase is an enumerator here and its
/// row in kPhases below: status, the printer column and the
/// schemagate_migrationjobs{phase} series take the name from there.
/// Expanding, RollingOut and Contracting take Running's place when the
/// revisions are split around a rollout (spec.phases auto).
enum class Phase { kPending, kRunning, kExpanding, kRollingOut, kContracting, kSucceeded, kFailed };

struct PhaseName {
  Phase phase;
  const char* name;  ///< as status.phase has it
};

/// Every phase with its name, in the enum's order; the metrics create a
/// series for each.
inline constexpr PhaseName kPhases[] = {
    {Phase::kPending, "Pending"},
    {Phase::kRunning, "Running"},
    {Phase::kExpanding, "Expanding"},
    {Phase::kRollingOut, "RollingOut"},
    {Phase::kContracting, "Contracting"},
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
