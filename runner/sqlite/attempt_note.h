#pragma once

#include <string>

#include "sqlite/process_identity.h"

namespace schemagate::sqlite {

/// The started row of a non-transactional attempt names its process, so
/// that the next run tells an attempt under way from a dead one.
std::string attempt_note(const std::string& applied_by, const ProcessIdentity& self,
                         const std::string& started_at, const std::string& done_through);

/// Whether the process an attempt_note() names still runs on this host.
bool attempt_running(const std::string& note);

}  // namespace schemagate::sqlite
