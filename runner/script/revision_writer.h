#pragma once

#include <filesystem>
#include <random>
#include <string>

#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::script {

/// A fresh random revision id: 48 bits, so that two branches never collide.
std::string new_revision_id(std::mt19937_64& random);

/// `add users table!` -> `add_users_table`: the file name part after the id.
std::string slug_for(const std::string& message);

/// The text of a new migration file: header, empty up and down sections.
std::string render_migration(const Migration& migration);

/// Writes `migration` to `<versions_dir>/<id>_<slug>.sql`, refusing to
/// overwrite. Returns the path written.
Result<std::filesystem::path> write_new_migration(const std::filesystem::path& versions_dir,
                                                  const Migration& migration);

}  // namespace schemagate::script
