#include "object_meta.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include <cpprest/asyncrt_utils.h>

#include "json_fields.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

std::mt19937_64& generator() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

void set_default(value& object, const std::string& key, const value& fallback) {
  if (!object.has_field(key)) object[key] = fallback;
}

}  // namespace

std::string now_rfc3339() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string new_uid() {
  std::uniform_int_distribution<uint64_t> any;
  uint64_t high = any(generator());
  uint64_t low = any(generator());
  high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // RFC 4122 variant
  char text[40];
  std::snprintf(text, sizeof(text), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xffff),
                static_cast<unsigned>(high & 0xffff), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

std::string random_suffix() {
  // The alphabet of k8s.io/apimachinery/pkg/util/rand: no vowels, no confusables.
  static const std::string kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
  std::string suffix;
  for (int i = 0; i < 5; ++i) suffix += kAlphabet[pick(generator())];
  return suffix;
}

value served_as(const ResourceType& type, value object) {
  object["apiVersion"] = value::string(type.api_version());
  object["kind"] = value::string(type.kind);
  return object;
}

std::string meta_string(const value& object, const std::string& key) {
  if (!object.has_field("metadata")) return "";
  const value& meta = object.at("metadata");
  if (!meta.has_field(key) || !meta.at(key).is_string()) return "";
  return meta.at(key).as_string();
}

value& metadata(value& object) {
  if (!object.has_field("metadata") || !object.at("metadata").is_object()) {
    object["metadata"] = value::object();
  }
  return object["metadata"];
}

bool has_finalizers(const value& object) {
  return object.has_field("metadata") && object.at("metadata").has_field("finalizers") &&
         object.at("metadata").at("finalizers").is_array() &&
         object.at("metadata").at("finalizers").size() > 0;
}

value generation_relevant(const ResourceType& type, const value& object) {
  value relevant = object;
  erase_field(relevant, "metadata");
  erase_field(relevant, "apiVersion");
  erase_field(relevant, "kind");
  if (type.status_subresource) erase_field(relevant, "status");
  return relevant;
}

std::string invalid_name_message(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 253 && std::isalnum(static_cast<unsigned char>(name.front())) &&
            std::isalnum(static_cast<unsigned char>(name.back()));
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
  }
  if (ok) return "";
  return "Invalid value: \"" + name +
         "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
         "characters, '-' or '.', and must start and end with an alphanumeric character "
         "(e.g. 'example.com', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
}

void apply_builtin_defaults(const ResourceType& type, value& object) {
  if (type.group == "batch" && type.plural == "jobs") {
    value& spec = object["spec"];
    set_default(spec, "parallelism", value::number(1));
    set_default(spec, "completions", value::number(1));
    set_default(spec, "backoffLimit", value::number(6));
    set_default(spec, "completionMode", value::string("NonIndexed"));
    set_default(spec, "suspend", value::boolean(false));
    // The real server labels the pod template with the Job's uid and selects on it.
    std::string uid = meta_string(object, "uid");
    value& labels = metadata(spec["template"])["labels"];
    if (!labels.is_object()) labels = value::object();
    labels["batch.kubernetes.io/controller-uid"] = value::string(uid);
    labels["batch.kubernetes.io/job-name"] = value::string(meta_string(object, "name"));
    labels["controller-uid"] = value::string(uid);
    labels["job-name"] = value::string(meta_string(object, "name"));
    if (!spec.has_field("selector")) {
      value match = value::object();
      match["batch.kubernetes.io/controller-uid"] = value::string(uid);
      spec["selector"]["matchLabels"] = match;
    }
  } else if (type.group == "apps" && type.plural == "deployments") {
    value& spec = object["spec"];
    set_default(spec, "replicas", value::number(1));
    set_default(spec, "revisionHistoryLimit", value::number(10));
    set_default(spec, "progressDeadlineSeconds", value::number(600));
    if (!spec.has_field("strategy")) {
      value rolling = value::object();
      rolling["maxSurge"] = value::string("25%");
      rolling["maxUnavailable"] = value::string("25%");
      spec["strategy"]["type"] = value::string("RollingUpdate");
      spec["strategy"]["rollingUpdate"] = rolling;
    }
  } else if (type.group.empty() && type.plural == "secrets" && object.has_field("stringData")) {
    // stringData is write-only: the real server folds it into data, base64
    // encoded, a key in both taking stringData's value.
    value& data = object["data"];
    if (!data.is_object()) data = value::object();
    for (const auto& [key, text] : object.at("stringData").as_object()) {
      if (!text.is_string()) continue;
      std::string plain = text.as_string();
      data[key] = value::string(
          utility::conversions::to_base64(std::vector<unsigned char>(plain.begin(), plain.end())));
    }
    erase_field(object, "stringData");
  }
}

}  // namespace schemagate::testing::kube
