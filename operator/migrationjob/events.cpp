#include "migrationjob/events.h"

#include <cctype>

#include "kube/time_format.h"
#include "migrationjob/resources.h"

namespace schemagate::migrationjob {
namespace {

constexpr size_t kMaxName = 253;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Json make_event(const MigrationJob& object, const EventSpec& event, const std::string& now) {
  std::string suffix = "." + std::to_string(object.generation) + "." + lowercase(event.reason);
  Json result = Json::object();
  result["apiVersion"] = Json::string("v1");
  result["kind"] = Json::string("Event");
  result["metadata"]["name"] =
      Json::string(object.name.substr(0, kMaxName - suffix.size()) + suffix);
  result["metadata"]["namespace"] = Json::string(object.ns);
  Json& involved = result["involvedObject"];
  involved["apiVersion"] = Json::string(kMigrationJobs.api_version());
  involved["kind"] = Json::string("MigrationJob");
  involved["name"] = Json::string(object.name);
  involved["namespace"] = Json::string(object.ns);
  involved["uid"] = Json::string(object.uid);
  result["type"] = Json::string(event.type);
  result["reason"] = Json::string(event.reason);
  result["message"] = Json::string(event.message);
  result["source"]["component"] = Json::string(kManagedByValue);
  result["reportingComponent"] = Json::string("schemagate.io/operator");
  result["firstTimestamp"] = Json::string(now);
  result["lastTimestamp"] = Json::string(now);
  result["count"] = Json::number(1);
  return result;
}

void EventRecorder::record(const MigrationJob& object, const EventSpec& event) {
  queue_.post(make_event(object, event, kube::format_time(std::chrono::system_clock::now())));
}

}  // namespace schemagate::migrationjob
