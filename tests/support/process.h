#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace schemagate::testing {

/// What a finished process left behind.
struct ProcessResult {
  int exit_code = -1;  ///< -1 when killed by a signal
  std::string out;
  std::string err;
};

/// A child process whose stdout and stderr go to files, so that many can run
/// at once and be killed mid-flight.
class Process {
 public:
  /// Starts `argv` with `env` added to (or replacing in) this environment;
  /// an empty value removes the variable.
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void kill_hard();
  /// Whether it has ended (reaps it without blocking; wait() still returns its code).
  bool exited();
  /// Waits for the exit and returns its code and output.
  ProcessResult wait();
  /// What it has written to stderr so far (it may still be running).
  std::string stderr_so_far() const;

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
  bool waited_ = false;
  int exit_code_ = -1;
};

/// Runs to completion.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {});

/// The schemagate binary under test.
std::string schemagate_binary();
/// The repository root (for examples/ and scripts/).
std::string source_dir();

}  // namespace schemagate::testing
