#include "runner/integration/support.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace schemagate::testing {

Project::Project() : root_(dir_.path()) {
  std::filesystem::create_directories(root_ / "versions");
}

std::unique_ptr<Project> Project::example(const std::string& name) {
  auto project = std::make_unique<Project>();
  std::filesystem::copy(std::filesystem::path(source_dir()) / "examples" / name / "migrations",
                        project->root_, std::filesystem::copy_options::recursive |
                                            std::filesystem::copy_options::overwrite_existing);
  return project;
}

std::filesystem::path Project::add(const std::string& id, const std::vector<std::string>& parents,
                                   const std::string& up, const std::string& down,
                                   const std::string& header) {
  return dir_.write("versions/" + id + "_test.sql", migration_text(id, parents, up, down, header));
}

namespace {

std::vector<std::string> command(const Project& project, std::vector<std::string> args) {
  std::vector<std::string> argv = {schemagate_binary(), "--dir", project.root().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::map<std::string, std::string> environment(const std::string& url) {
  return {{"DATABASE_URL", url}};
}

}  // namespace

ProcessResult run_cli(const Project& project, const std::string& database_url,
                         std::vector<std::string> args) {
  return run_process(command(project, std::move(args)), environment(database_url));
}

std::unique_ptr<Process> start_schemagate(const Project& project, const std::string& database_url,
                                          std::vector<std::string> args) {
  return std::make_unique<Process>(command(project, std::move(args)), environment(database_url));
}

void await_output(Process& runner, const std::string& text) {
  while (runner.stderr_so_far().find(text) == std::string::npos) {
    if (runner.exited()) {
      ProcessResult ended = runner.wait();
      FAIL("the runner ended (exit " << ended.exit_code << ") before writing \"" << text
                                     << "\"; stderr:\n" << ended.err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void expect_exit(const ProcessResult& result, int code) {
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  REQUIRE(result.exit_code == code);
}

std::string schema_dump(const std::string& url) {
  const char* pgbin = std::getenv("PGBIN");
  std::string binary = pgbin ? std::string(pgbin) + "/pg_dump" : "pg_dump";
  ProcessResult dump = run_process({binary, "--schema-only", "--no-owner", "--dbname", url});
  INFO(dump.err);
  REQUIRE(dump.exit_code == 0);
  // pg_dump brackets its output with \restrict/\unrestrict and a random key.
  std::string text;
  size_t start = 0;
  while (start < dump.out.size()) {
    size_t end = dump.out.find('\n', start);
    if (end == std::string::npos) end = dump.out.size();
    std::string line = dump.out.substr(start, end - start);
    if (line.rfind("\\restrict", 0) != 0 && line.rfind("\\unrestrict", 0) != 0) text += line + "\n";
    start = end + 1;
  }
  return text;
}

std::string version_rows(TestDatabase& database) {
  if (!database.table_exists("public.schemagate_version")) return "";
  pqxx::nontransaction query(database.connection());
  std::vector<std::string> rows;
  for (const auto& row : query.exec("SELECT version_num FROM public.schemagate_version")) {
    rows.push_back(row[0].as<std::string>());
  }
  std::sort(rows.begin(), rows.end());
  std::string joined;
  for (const auto& row : rows) joined += (joined.empty() ? "" : " ") + row;
  return joined;
}

}  // namespace schemagate::testing
