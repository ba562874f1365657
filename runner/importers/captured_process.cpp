#include "importers/captured_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "schemagate/common/files.h"

extern char** environ;

namespace schemagate::importers {
namespace {

/// A temporary file removed when it goes out of scope.
class TempFile {
 public:
  TempFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "schemagate-XXXXXX").string();
    int fd = mkstemp(pattern.data());
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Result<CapturedOutput> run_captured(const std::vector<std::string>& argv) {
  // Files rather than pipes: nothing can block on a full pipe, and the
  // outputs are read once the process is gone.
  TempFile out, err;
  if (out.path().empty() || err.path().empty()) {
    return Error(ErrorCode::kInvalid, "cannot create a temporary file to run " + argv.front() +
                                          ": " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.path().c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err.path().c_str(), O_WRONLY | O_TRUNC, 0);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, args.front(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return Error(ErrorCode::kInvalid,
                 "cannot run " + argv.front() + ": " + std::strerror(spawned));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  CapturedOutput output;
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  Result<std::string> out_text = files::read_file(out.path());
  Result<std::string> err_text = files::read_file(err.path());
  if (out_text) output.out = std::move(out_text).value();
  if (err_text) output.err = std::move(err_text).value();
  return output;
}

}  // namespace schemagate::importers
