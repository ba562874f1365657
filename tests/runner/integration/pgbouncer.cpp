#include "runner/integration/pgbouncer.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <pqxx/pqxx>

#include "support/test_database.h"

namespace schemagate::testing {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

PgBouncer::PgBouncer(const std::string& pool_mode) {
  std::string server = test_server_url();  // postgresql://user:password@host:port/db
  std::string credentials = server.substr(13, server.find('@') - 13);
  std::string address = server.substr(server.find('@') + 1);
  address = address.substr(0, address.find('/'));
  user_ = credentials.substr(0, credentials.find(':'));
  password_ = credentials.substr(credentials.find(':') + 1);
  std::string port = run_process({"bash", "-c", "source " + source_dir() +
                                                    "/scripts/free_port.sh && free_port"})
                         .out;
  port_ = port.substr(0, port.find('\n'));
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
  auto ini = dir_.write(
      "pgbouncer.ini",
      "[databases]\n* = host=" + address.substr(0, address.find(':')) +
          " port=" + address.substr(address.find(':') + 1) + " user=" + user_ +
          " password=" + password_ +
          "\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " + port_ +
          "\nunix_socket_dir =\nauth_type = any\npool_mode = " + pool_mode +
          "\nmax_client_conn = 200\ndefault_pool_size = 4\nlogfile = " +
          (dir_.path() / "pgbouncer.log").string() + "\n");
  std::filesystem::permissions(ini, std::filesystem::perms::all);
  std::vector<std::string> argv = {"/usr/sbin/pgbouncer"};
  if (geteuid() == 0) argv.insert(argv.end(), {"-u", "postgres"});  // it refuses root
  argv.push_back(ini.string());
  process_ = std::make_unique<Process>(argv);
  // A generous bound that only a broken PgBouncer reaches: the tests behind
  // it must not run against a pooler that never came up.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!accepts()) {
    if (process_->exited() || std::chrono::steady_clock::now() > give_up) {
      throw std::runtime_error("PgBouncer on port " + port_ + " never accepted a connection (" +
                               (process_->exited() ? "it exited" : "still running after 60 s") +
                               "); its log:\n" + read_file(dir_.path() / "pgbouncer.log") +
                               process_->stderr_so_far());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

PgBouncer::~PgBouncer() { process_->kill_hard(); }

std::string PgBouncer::url(const std::string& database) const {
  return "postgresql://" + user_ + ":" + password_ + "@127.0.0.1:" + port_ + "/" + database;
}

bool PgBouncer::accepts() const {
  try {
    pqxx::connection probe(url("postgres"));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace schemagate::testing
