#pragma once

#include <map>
#include <string>
#include <vector>

#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::script {

// Repeatable revisions (`-- schemagate:repeatable true`) hold SQL that is
// safe to run again (CREATE OR REPLACE VIEW/FUNCTION, GRANT). They stand
// outside the revision graph: after an upgrade that reaches the heads, each
// one whose checksum differs from the one last recorded for it (or that was
// never applied) runs again, in the order of order_repeatables(). Pure: no
// files, no database.

/// Exit 2 naming both files when a repeatable's id is also another
/// repeatable's or a versioned revision's: ids name history rows.
Status check_repeatable_ids(const std::vector<Migration>& repeatables,
                            const std::vector<Migration>& versioned);

/// Sorts repeatables into the order they are applied: by message (the
/// description, as Flyway orders its `R__` files), then by id, so the order
/// is the same on every machine.
void order_repeatables(std::vector<Migration>& repeatables);

/// The repeatables (kept in their order) whose checksum is not `recorded`
/// for their id: `recorded` maps an id to the checksum of its latest
/// successful application.
std::vector<const Migration*> changed_repeatables(
    const std::vector<Migration>& repeatables,
    const std::map<std::string, std::string>& recorded);

}  // namespace schemagate::script
