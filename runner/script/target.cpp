#include "script/target.h"

#include <algorithm>
#include <cctype>

namespace schemagate::script {
namespace {

using Index = RevisionMap::Index;

Error invalid(const std::string& message) { return Error(ErrorCode::kInvalid, message); }

/// Could start a revision id: a prefix is looked up only then.
bool is_id_prefix(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_revision_id_char);
}

/// A spec split into an optional anchor and a signed step count.
struct Walk {
  std::string anchor;  ///< empty: relative to the current revision
  int steps = 0;
};

/// `[anchor](+|-)<1 to 6 digits>`, scanned from the end.
std::optional<Walk> parse_walk(const std::string& spec) {
  size_t digits = spec.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(spec[digits - 1]))) --digits;
  size_t count = spec.size() - digits;
  if (count == 0 || count > 6 || digits == 0) return std::nullopt;
  char sign = spec[digits - 1];
  std::string anchor = spec.substr(0, digits - 1);
  if ((sign != '+' && sign != '-') || anchor.find_first_of("\r\n") != std::string::npos) {
    return std::nullopt;
  }
  int steps = std::stoi(spec.substr(digits));
  return Walk{anchor, sign == '-' ? -steps : steps};
}

class Resolver {
 public:
  Resolver(const RevisionMap& map, const std::optional<Target>& current)
      : map_(map), current_(current) {}

  Result<Target> resolve(const std::string& spec) {
    if (spec.empty()) return invalid("empty target; use head, heads, base or a revision id");
    if (spec == "base") return Target{};
    if (spec == "heads") return map_.heads();
    std::optional<Walk> walk = parse_walk(spec);
    if (walk && !single_form_exists(spec)) return resolve_walk(spec, *walk);
    Result<Index> single = resolve_single(spec);
    if (!single) return single.error();
    return Target{*single};
  }

 private:
  /// Lets a label such as `release-2` win over reading it as `release` - 2.
  bool single_form_exists(const std::string& spec) const {
    return map_.label_owner(spec).has_value() || map_.find(spec).has_value();
  }

  Result<Index> resolve_single(const std::string& spec) const {
    if (spec == "head") return only_head(map_.heads(), "");
    size_t at = spec.find('@');
    if (at != std::string::npos) return resolve_labelled(spec.substr(0, at), spec.substr(at + 1));
    if (auto owner = map_.label_owner(spec)) return *owner;
    if (auto exact = map_.find(spec)) return *exact;
    if (is_id_prefix(spec)) {
      std::vector<Index> matches = map_.with_prefix(spec);
      if (matches.size() == 1) return matches.front();
      if (matches.size() > 1) {
        return invalid("ambiguous revision prefix '" + spec + "' matches " +
                       map_.describe(matches) + "; give more characters");
      }
    }
    return invalid("no revision, prefix or branch label '" + spec +
                   "'; `schemagate history` lists the revisions");
  }

  Result<Index> only_head(const std::vector<Index>& heads, const std::string& label) const {
    std::string what = label.empty() ? "head" : label + "@head";
    if (heads.empty()) return invalid("'" + what + "': there are no revisions yet");
    if (heads.size() > 1) {
      return invalid("'" + what + "' is ambiguous: several heads (" + map_.describe(heads) +
                     "); name one, use 'heads', or merge them with `schemagate merge heads -m ...`");
    }
    return heads.front();
  }

  Result<Index> resolve_labelled(const std::string& label, const std::string& rest) const {
    if (!map_.label_owner(label)) {
      return invalid("unknown branch label '" + label + "' in '" + label + "@" + rest + "'");
    }
    auto carries = [&](Index i) {
      const auto& labels = map_.labels(i);
      return std::find(labels.begin(), labels.end(), label) != labels.end();
    };
    if (rest == "head") {
      std::vector<Index> heads;
      for (Index head : map_.heads()) {
        if (carries(head)) heads.push_back(head);
      }
      return only_head(heads, label);
    }
    Result<Index> revision = resolve_single(rest);
    if (!revision) return revision.error();
    if (!carries(*revision)) {
      return invalid("revision " + map_.id(*revision) + " is not on branch '" + label + "'");
    }
    return *revision;
  }

  Result<Target> resolve_walk(const std::string& spec, const Walk& walk) {
    std::optional<Index> start;
    if (walk.anchor.empty()) {
      if (!current_) {
        return invalid("relative target '" + spec +
                       "' counts from the database's current revision; this command has no "
                       "database, name a revision instead");
      }
      if (current_->size() > 1) {
        return Error(ErrorCode::kStateRefused,
                     "relative target '" + spec + "' is ambiguous: the database has several " +
                         "current heads (" + map_.describe(*current_) +
                         "); name the target revision instead");
      }
      if (!current_->empty()) start = current_->front();
    } else if (walk.anchor != "base") {
      Result<Index> anchor = resolve_single(walk.anchor);
      if (!anchor) return anchor.error();
      start = *anchor;
    }
    return walk.steps >= 0 ? walk_forward(spec, start, walk.steps)
                           : walk_backward(spec, start, -walk.steps);
  }

  Result<Target> walk_forward(const std::string& spec, std::optional<Index> at, int steps) const {
    for (int step = 0; step < steps; ++step) {
      const std::vector<Index>& next = at ? map_.children(*at) : map_.bases();
      std::string from = at ? map_.id(*at) : "base";
      if (next.empty()) {
        return invalid("'" + spec + "' walks past head " + from + " after " +
                       std::to_string(step) + " step(s)");
      }
      if (next.size() > 1) {
        return invalid("ambiguous walk for '" + spec + "': " + from + " branches into " +
                       map_.describe(next) + "; name a revision or use label@head");
      }
      at = next.front();
    }
    if (!at) return Target{};
    return Target{*at};
  }

  Result<Target> walk_backward(const std::string& spec, std::optional<Index> at, int steps) const {
    for (int step = 0; step < steps; ++step) {
      if (!at) {
        return invalid("'" + spec + "' walks past base after " + std::to_string(step) +
                       " step(s)");
      }
      const std::vector<Index>& parents = map_.parents(*at);
      if (parents.size() > 1) {
        if (step + 1 == steps) return Target(parents.begin(), parents.end());
        return invalid("ambiguous walk for '" + spec + "': " + map_.id(*at) +
                       " merges " + map_.describe(parents) + "; name a revision instead");
      }
      at = parents.empty() ? std::nullopt : std::optional<Index>(parents.front());
    }
    if (!at) return Target{};
    return Target{*at};
  }

  const RevisionMap& map_;
  const std::optional<Target>& current_;
};

}  // namespace

Result<Target> resolve_target(const RevisionMap& map, const std::string& spec,
                              const std::optional<Target>& current) {
  return Resolver(map, current).resolve(spec);
}

}  // namespace schemagate::script
