#include "kube/exec_plugin.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;

namespace schemagate::kube {
namespace {

constexpr size_t kMaxOutput = 1 << 20;

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

std::vector<std::string> environment(const ExecConfig& exec, const std::string& exec_info) {
  std::map<std::string, std::string> values;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string text(*entry);
    size_t equals = text.find('=');
    if (equals != std::string::npos) values[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : exec.env) values[name] = value;
  values["KUBERNETES_EXEC_INFO"] = exec_info;
  std::vector<std::string> result;
  for (const auto& [name, value] : values) result.push_back(name + "=" + value);
  return result;
}

std::vector<char*> pointers(std::vector<std::string>& texts) {
  std::vector<char*> result;
  for (std::string& text : texts) result.push_back(text.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

Result<std::string> ProcessPluginRunner::run(const ExecConfig& exec,
                                             const std::string& exec_info) {
  const std::string plugin = exec.origin + ": exec plugin " + exec.command;
  auto failed = [&](const std::string& why) { return Error(ErrorCode::kInvalid, plugin + " " + why); };

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return failed(std::string("cannot start: ") + std::strerror(errno));
  Fd read_end{pipe_fds[0]};
  Fd write_end{pipe_fds[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  std::vector<std::string> argv_text{exec.command};
  argv_text.insert(argv_text.end(), exec.args.begin(), exec.args.end());
  std::vector<std::string> env_text = environment(exec, exec_info);
  std::vector<char*> argv = pointers(argv_text);
  std::vector<char*> envp = pointers(env_text);
  pid_t pid = 0;
  // posix_spawnp looks a bare name up in PATH, as kubectl does.
  int spawned = posix_spawnp(&pid, exec.command.c_str(), &actions, nullptr, argv.data(),
                             envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    std::string hint = exec.install_hint.empty()
                           ? "install it, or fix the command in the kubeconfig user's exec section"
                           : exec.install_hint;
    return failed(std::string("cannot run: ") + std::strerror(spawned) + " (the PATH is " +
                  (std::getenv("PATH") ? std::getenv("PATH") : "unset") + "). " + hint);
  }
  close(write_end.fd);
  write_end.fd = -1;

  std::string output;
  bool too_long = false;
  bool timed_out = false;
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd readable{read_end.fd, POLLIN, 0};
    int ready = poll(&readable, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buffer[4096];
    ssize_t got = read(read_end.fd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // end of output
    if (output.size() + static_cast<size_t>(got) > kMaxOutput) {
      too_long = true;
      break;
    }
    output.append(buffer, static_cast<size_t>(got));
  }
  if (timed_out || too_long) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return failed("did not finish within " + std::to_string(timeout_.count()) +
                  " s and was killed; does it wait for input (a login prompt)? Log in with it "
                  "by hand first");
  }
  if (too_long) return failed("printed more than 1 MiB, which is no ExecCredential");
  if (WIFSIGNALED(status)) {
    return failed("was killed by signal " + std::to_string(WTERMSIG(status)) +
                  "; its messages are above in the operator's stderr");
  }
  if (WEXITSTATUS(status) != 0) {
    return failed("exited with status " + std::to_string(WEXITSTATUS(status)) +
                  "; its messages are above in the operator's stderr. Run it by hand (" +
                  exec.command + ") to see why, e.g. an expired login of its cloud CLI");
  }
  return output;
}

}  // namespace schemagate::kube
