#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "http/http_server.h"

namespace schemagate::http {

/// Named readiness checks behind /readyz, as controller-runtime has them:
/// the process is live (/healthz) as long as it answers, and ready once every
/// check passes (here: the informer caches have synced). Readiness does not
/// depend on being the leader, so standby replicas are ready too.
class Health {
 public:
  void add_readiness_check(const std::string& name, std::function<bool()> check);

  HttpResponse healthz() const;
  /// 200 "ok", or 500 naming the checks that fail.
  HttpResponse readyz() const;

  /// /healthz and /readyz.
  std::map<std::string, Route> routes() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::function<bool()>> checks_;
};

}  // namespace schemagate::http
