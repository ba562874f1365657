#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace schemagate::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream stream(path);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::string temp_path(const char* suffix) {
  static std::mt19937_64 random(std::random_device{}());
  return "/tmp/schemagate-proc-" + std::to_string(random()) + suffix;
}

}  // namespace

Process::Process(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env)
    : out_path_(temp_path(".out")), err_path_(temp_path(".err")) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    for (const auto& [name, value] : env) {
      if (value.empty()) {
        unsetenv(name.c_str());
      } else {
        setenv(name.c_str(), value.c_str(), 1);
      }
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

Process::~Process() {
  if (!waited_) {
    kill_hard();
    wait();
  }
  unlink(out_path_.c_str());
  unlink(err_path_.c_str());
}

void Process::kill_hard() {
  if (pid_ > 0 && !waited_) ::kill(pid_, SIGKILL);
}

bool Process::exited() {
  if (waited_) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
  waited_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return true;
}

ProcessResult Process::wait() {
  ProcessResult result;
  if (!waited_) {
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  result.exit_code = exit_code_;
  result.out = slurp(out_path_);
  result.err = slurp(err_path_);
  return result;
}

std::string Process::stderr_so_far() const { return slurp(err_path_); }

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env) {
  Process process(argv, env);
  return process.wait();
}

std::string schemagate_binary() { return SCHEMAGATE_BINARY; }
std::string source_dir() { return SCHEMAGATE_SOURCE_DIR; }

}  // namespace schemagate::testing
