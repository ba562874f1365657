#pragma once

#include <memory>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace schemagate::testing {

/// A PgBouncer of our own in front of the test server, on a free port.
class PgBouncer {
 public:
  /// `pool_mode`: session or transaction. Returns once it accepts connections.
  explicit PgBouncer(const std::string& pool_mode);
  ~PgBouncer();

  /// The URL of `database` through the pooler.
  std::string url(const std::string& database) const;

 private:
  bool accepts() const;

  TempDir dir_;
  std::string user_, password_, port_;
  std::unique_ptr<Process> process_;
};

}  // namespace schemagate::testing
