#include "http/health.h"

namespace schemagate::http {

void Health::add_readiness_check(const std::string& name, std::function<bool()> check) {
  std::lock_guard<std::mutex> lock(mutex_);
  checks_[name] = std::move(check);
}

HttpResponse Health::healthz() const { return {200, "text/plain; charset=utf-8", "ok"}; }

HttpResponse Health::readyz() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string failing;
  for (const auto& [name, check] : checks_) {
    if (!check()) failing += "[-]" + name + " failed\n";
  }
  if (failing.empty()) return {200, "text/plain; charset=utf-8", "ok"};
  return {500, "text/plain; charset=utf-8", failing + "readyz check failed\n"};
}

std::map<std::string, Route> Health::routes() const {
  return {{"/healthz", [this] { return healthz(); }}, {"/readyz", [this] { return readyz(); }}};
}

}  // namespace schemagate::http
