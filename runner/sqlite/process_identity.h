#pragma once

#include <string>

namespace schemagate::sqlite {

/// A process as another process on the same machine can check on it: the
/// host name, the pid, and what tells this pid from a reused one (its pid
/// namespace and start time, from /proc). A SQLite file is shared by the
/// processes of one machine, so a runner killed with -9 is seen dead at
/// once instead of after its lease expires.
struct ProcessIdentity {
  std::string host;
  long pid = 0;
  std::string process;  ///< "pid:[NS] start TICKS"; empty where /proc is missing

  static ProcessIdentity self();
  /// "host/pid", for messages.
  std::string describe() const { return host + "/" + std::to_string(pid); }
};

enum class Liveness { kAlive, kDead, kUnknown };

/// Whether `other` still runs: known only for a process of this host and
/// pid namespace (another machine or container answers kUnknown).
Liveness liveness(const ProcessIdentity& other);

}  // namespace schemagate::sqlite
