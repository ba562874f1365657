#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::schema {

/// One piece of the declared schema: a file, or a command's output.
struct SourceFile {
  std::string path;  ///< the file, or `schema_command` for a command's output
  std::string text;
};

/// Where the desired end state is declared: `path` (a SQL file, or a
/// directory whose `*.sql` files are read in name order), else `command`,
/// run by `/bin/sh -c`, whose stdout is the DDL. Exit 2 when neither is set,
/// a file is unreadable, the directory holds no SQL, or the command fails
/// (its stderr passes through).
Result<std::vector<SourceFile>> load_declared_schema(const std::filesystem::path& path,
                                                     const std::string& command);

}  // namespace schemagate::schema
