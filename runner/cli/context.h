#pragma once

#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "cli/invocation.h"
#include "config/config.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

namespace schemagate::cli {

/// What a command works with: its invocation, where results go (stdout; logs
/// go to stderr), and the settings and scripts, loaded on first use.
class Context {
 public:
  Context(const Invocation& invocation, std::ostream& out);

  const Invocation& invocation() const { return invocation_; }
  std::ostream& out() { return out_; }
  std::mt19937_64& random() { return random_; }

  /// The settings file named by --config, else ./schemagate.yaml when it
  /// exists, else the defaults; --dir overrides the directory.
  Result<config::Config> settings() const;
  /// The migration directory of settings(), parsed and validated.
  Result<script::ScriptDirectory> scripts() const;

  /// Whether the caller wants the revisions a command leaves the database
  /// at (--termination-log); reading them costs a query, so commands ask.
  bool wants_revisions() const { return invocation_.has("termination-log"); }
  void report_revisions(std::vector<std::string> revisions) { revisions_ = std::move(revisions); }
  const std::vector<std::string>& reported_revisions() const { return revisions_; }
  /// Revisions an `upgrade --phase expand` left for the contract phase.
  void report_contract_pending(std::vector<std::string> revisions) {
    contract_pending_ = std::move(revisions);
  }
  const std::vector<std::string>& reported_contract_pending() const { return contract_pending_; }

 private:
  const Invocation& invocation_;
  std::ostream& out_;
  std::mt19937_64 random_;
  std::vector<std::string> revisions_;
  std::vector<std::string> contract_pending_;
};

}  // namespace schemagate::cli
