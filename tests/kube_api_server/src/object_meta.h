#pragma once

#include <string>

#include <cpprest/json.h>

#include "resource_registry.h"

/// Small rules about object metadata shared by the store's verbs.
namespace schemagate::testing::kube {

/// RFC 3339 UTC time with second precision, as metadata timestamps are written.
std::string now_rfc3339();
/// A random version 4 UUID.
std::string new_uid();
/// The five random characters the real server appends to a generateName.
std::string random_suffix();

/// The object as served through `type`: its apiVersion is the version asked
/// for (CRDs convert with strategy None, which only rewrites apiVersion).
web::json::value served_as(const ResourceType& type, web::json::value object);

/// `object.metadata.<key>` as a string, or "" when absent.
std::string meta_string(const web::json::value& object, const std::string& key);
/// `object.metadata`, created when absent.
web::json::value& metadata(web::json::value& object);
bool has_finalizers(const web::json::value& object);

/// The part of an object whose change bumps metadata.generation: all but
/// metadata, and all but status when the kind has a status subresource.
web::json::value generation_relevant(const ResourceType& type, const web::json::value& object);

/// Checks a name is a DNS-1123 subdomain; returns the real server's message otherwise.
std::string invalid_name_message(const std::string& name);

/// Fields the real server fills in on create for a few built-ins (Job,
/// Deployment), and a Secret's stringData folded into data, so clients
/// reading them back see what they would on a cluster.
void apply_builtin_defaults(const ResourceType& type, web::json::value& object);

}  // namespace schemagate::testing::kube
