#include "importers/alembic_history.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "importers/captured_process.h"
#include "schemagate/common/files.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

namespace {

// Run by the Python that has Alembic: argv[1] is the script location,
// argv[2] the alembic.ini or "". Prints one JSON object per revision.
constexpr const char* kRenderer = R"PY(
import io, json, os, sys
sys.dont_write_bytecode = True  # leave no __pycache__ in the project

def main():
    location, ini = sys.argv[1], sys.argv[2]
    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        from alembic.runtime.migration import MigrationContext
        from alembic.operations import Operations
    except ImportError as error:
        print(json.dumps({"fatal": "this Python (%s) cannot import Alembic: %s; install it "
                          "(Debian: apt-get install alembic python3-psycopg2) or name a Python "
                          "that has it in SCHEMAGATE_PYTHON" % (sys.executable, error)}))
        return
    try:
        if ini:
            os.chdir(os.path.dirname(os.path.abspath(ini)))
            scripts = ScriptDirectory.from_config(Config(ini))
        else:
            scripts = ScriptDirectory(location)
        revisions = list(scripts.walk_revisions())
    except Exception as error:
        print(json.dumps({"fatal": "Alembic cannot load the project: %s: %s" %
                          (type(error).__name__, error)}))
        return

    def render(function):
        if function is None:
            return None, "the revision has no such function"
        buffer = io.StringIO()
        context = MigrationContext.configure(
            dialect_name="postgresql",
            opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True})
        try:
            with Operations.context(context):
                function()
        except Exception as error:
            return None, "%s: %s" % (type(error).__name__, error)
        return buffer.getvalue(), None

    def as_list(value):
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return [str(item) for item in value]

    for script in reversed(revisions):
        module = script.module
        up, up_error = render(getattr(module, "upgrade", None))
        down, down_error = render(getattr(module, "downgrade", None))
        doc = (script.doc or "").strip().splitlines()
        print(json.dumps({
            "revision": script.revision,
            "parents": as_list(script.down_revision),
            "branch_labels": as_list(getattr(module, "branch_labels", None)),
            "depends_on": as_list(getattr(module, "depends_on", None)),
            "message": doc[0] if doc else "",
            "path": os.path.relpath(script.path, scripts.dir),
            "up": up, "up_error": up_error or "", "down": down, "down_error": down_error or "",
        }))

main()
)PY";

Error invalid(const std::string& message) { return Error(ErrorCode::kInvalid, message); }

/// The Python that runs the renderer.
std::string python_interpreter() {
  if (const char* chosen = std::getenv("SCHEMAGATE_PYTHON"); chosen && *chosen) return chosen;
  // The `alembic` command starts with `#!/path/to/python`: that one has it.
  if (const char* path = std::getenv("PATH")) {
    std::string dirs = path;
    for (size_t begin = 0; begin <= dirs.size();) {
      size_t end = std::min(dirs.find(':', begin), dirs.size());
      fs::path candidate = fs::path(dirs.substr(begin, end - begin)) / "alembic";
      begin = end + 1;
      std::error_code ec;
      if (!fs::is_regular_file(candidate, ec)) continue;
      Result<std::string> text = files::read_file(candidate, 4096);
      if (!text || text->rfind("#!", 0) != 0) continue;
      std::string line = text->substr(2, text->find('\n') - 2);
      size_t space = line.find(' ');
      std::string interpreter = line.substr(0, space);
      // `#!/usr/bin/env python3`
      if (fs::path(interpreter).filename() == "env" && space != std::string::npos) {
        return line.substr(space + 1);
      }
      return interpreter;
    }
  }
  return "python3";
}

std::string text_member(const nlohmann::json& object, const char* key) {
  auto member = object.find(key);
  return member != object.end() && member->is_string() ? member->get<std::string>() : std::string();
}

std::optional<std::string> optional_member(const nlohmann::json& object, const char* key) {
  auto member = object.find(key);
  if (member == object.end() || !member->is_string()) return std::nullopt;
  return member->get<std::string>();
}

std::vector<std::string> list_member(const nlohmann::json& object, const char* key) {
  std::vector<std::string> items;
  auto member = object.find(key);
  if (member == object.end() || !member->is_array()) return items;
  for (const nlohmann::json& item : *member) {
    if (item.is_string()) items.push_back(item.get<std::string>());
  }
  return items;
}

}  // namespace

Result<AlembicProject> locate_alembic_project(const fs::path& directory) {
  std::error_code ec;
  if (fs::is_regular_file(directory / "alembic.ini", ec)) {
    return AlembicProject{directory, directory / "alembic.ini"};
  }
  if (fs::is_regular_file(directory / "env.py", ec) && fs::is_directory(directory / "versions", ec)) {
    return AlembicProject{directory, std::nullopt};
  }
  return invalid(directory.string() + " is neither an Alembic project (no alembic.ini) nor its "
                                      "script location (no env.py beside versions/); point "
                                      "import at the folder holding alembic.ini");
}

Result<std::vector<AlembicRevision>> parse_alembic_listing(const std::string& output) {
  std::vector<AlembicRevision> revisions;
  size_t begin = 0;
  while (begin < output.size()) {
    size_t end = std::min(output.find('\n', begin), output.size());
    std::string line = output.substr(begin, end - begin);
    begin = end + 1;
    if (line.empty()) continue;
    nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    if (!object.is_object()) {
      return invalid("Alembic's listing has a line that is not JSON (a revision file printing "
                     "on import?): " + line.substr(0, 200));
    }
    if (std::optional<std::string> fatal = optional_member(object, "fatal")) return invalid(*fatal);
    AlembicRevision revision;
    revision.id = text_member(object, "revision");
    revision.parents = list_member(object, "parents");
    revision.branch_labels = list_member(object, "branch_labels");
    revision.depends_on = list_member(object, "depends_on");
    revision.message = text_member(object, "message");
    revision.path = text_member(object, "path");
    revision.up = optional_member(object, "up");
    revision.up_error = text_member(object, "up_error");
    revision.down = optional_member(object, "down");
    revision.down_error = text_member(object, "down_error");
    revisions.push_back(std::move(revision));
  }
  if (revisions.empty()) {
    return invalid("the Alembic project has no revisions; there is nothing to import");
  }
  return revisions;
}

Result<std::vector<AlembicRevision>> read_alembic_history(const AlembicProject& project) {
  fs::path script = fs::temp_directory_path() / ("schemagate-alembic-" + std::to_string(::getpid()) + ".py");
  {
    std::ofstream stream(script, std::ios::binary);
    stream << kRenderer;
    if (!stream) return invalid(script.string() + ": cannot write the Alembic helper");
  }
  std::string python = python_interpreter();
  Result<CapturedOutput> run = run_captured(
      {python, script.string(), fs::absolute(project.script_location).string(),
       project.ini ? fs::absolute(*project.ini).string() : std::string()});
  std::error_code ec;
  fs::remove(script, ec);
  if (!run) {
    return invalid(run.error().message() +
                   "; import --from alembic needs Python with Alembic (Debian: apt-get install "
                   "alembic python3-psycopg2), or SCHEMAGATE_PYTHON naming one");
  }
  if (run->exit_code != 0) {
    std::string err = run->err.size() > 2000 ? run->err.substr(run->err.size() - 2000) : run->err;
    return invalid(python + " failed reading the Alembic project (exit " +
                   std::to_string(run->exit_code) + "): " + err);
  }
  return parse_alembic_listing(run->out);
}

}  // namespace schemagate::importers
