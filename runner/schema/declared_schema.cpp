#include "schema/declared_schema.h"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>

#include "schemagate/common/files.h"

namespace schemagate::schema {
namespace fs = std::filesystem;
namespace {

Result<std::vector<SourceFile>> read_files(const fs::path& path) {
  std::vector<fs::path> paths;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".sql") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) {
      return Error(ErrorCode::kInvalid, path.string() + ": the schema directory holds no .sql "
                                                        "file; declare the schema there");
    }
  } else {
    paths.push_back(path);
  }
  std::vector<SourceFile> files;
  for (const fs::path& file : paths) {
    Result<std::string> text = files::read_file(file);
    if (!text) return text.error().with_context("schema");
    files.push_back({file.string(), *text});
  }
  return files;
}

Result<std::vector<SourceFile>> run_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return Error(ErrorCode::kInvalid, "schema_command could not be started: " + command);
  std::string output;
  char buffer[65536];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, read);
  int status = pclose(pipe);
  if (status != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return Error(ErrorCode::kInvalid, "schema_command `" + command + "` failed (exit " +
                                          std::to_string(code) +
                                          "); its error output is above. Fix it, or set schema: "
                                          "to SQL files instead");
  }
  return std::vector<SourceFile>{{"schema_command", output}};
}

}  // namespace

Result<std::vector<SourceFile>> load_declared_schema(const fs::path& path,
                                                     const std::string& command) {
  if (!path.empty()) return read_files(path);
  if (!command.empty()) return run_command(command);
  return Error(ErrorCode::kInvalid,
               "no declared schema: pass --schema PATH (a SQL file or a directory of them), or "
               "set schema: or schema_command: in schemagate.yaml");
}

}  // namespace schemagate::schema
