#include "sqlite/process_identity.h"

#include <unistd.h>

#include <climits>
#include <fstream>
#include <sstream>

namespace schemagate::sqlite {
namespace {

std::string host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof name - 1) == 0 && name[0]) return name;
  return "unknown-host";
}

std::string pid_namespace() {
  char target[128] = {};
  ssize_t length = readlink("/proc/self/ns/pid", target, sizeof target - 1);
  return length > 0 ? std::string(target, static_cast<size_t>(length)) : "";
}

/// Field 22 of /proc/PID/stat (ticks after boot); empty when there is none.
std::string start_time(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: count from
  // its closing parenthesis.
  size_t close = text.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  for (int number = 3; number <= 22 && (fields >> field); ++number) {
    // A killed process its parent has not reaped yet runs no more.
    if (number == 3 && (field == "Z" || field == "X")) return "";
    if (number == 22) return field;
  }
  return "";
}

}  // namespace

ProcessIdentity ProcessIdentity::self() {
  ProcessIdentity identity;
  identity.host = host_name();
  identity.pid = static_cast<long>(getpid());
  std::string name_space = pid_namespace();
  std::string start = start_time(identity.pid);
  if (!name_space.empty() && !start.empty()) identity.process = name_space + " start " + start;
  return identity;
}

Liveness liveness(const ProcessIdentity& other) {
  ProcessIdentity me = ProcessIdentity::self();
  if (other.process.empty() || me.process.empty() || other.host != me.host) {
    return Liveness::kUnknown;
  }
  std::string name_space = me.process.substr(0, me.process.find(' '));
  if (other.process.rfind(name_space + " ", 0) != 0) return Liveness::kUnknown;
  std::string start = start_time(other.pid);
  return !start.empty() && other.process == name_space + " start " + start ? Liveness::kAlive
                                                                           : Liveness::kDead;
}

}  // namespace schemagate::sqlite
