#include "script/revision_map.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace schemagate::script {
namespace {

const char* const kReservedLabels[] = {"head", "heads", "base"};

}  // namespace

Result<RevisionMap> RevisionMap::build(std::vector<Revision> revisions,
                                       std::vector<std::string> sources,
                                       std::vector<DirectiveLines> lines) {
  RevisionMap map;
  map.nodes_.resize(revisions.size());
  for (size_t i = 0; i < revisions.size(); ++i) {
    map.nodes_[i].revision = std::move(revisions[i]);
    map.nodes_[i].source = i < sources.size() ? std::move(sources[i])
                                              : "revision " + map.nodes_[i].revision.id;
    if (i < lines.size()) map.nodes_[i].lines = lines[i];
  }
  Problems problems;
  map.index_nodes(problems);
  if (problems.empty()) map.link_parents(problems);
  if (problems.empty()) map.index_labels(problems);
  if (problems.empty()) map.sort_topologically(problems);
  if (!problems.empty()) {
    std::string message = "invalid revision graph:";
    for (const std::string& problem : problems) message += "\n  " + problem;
    return Error(ErrorCode::kInvalid, message);
  }
  map.propagate_labels();
  return map;
}

std::string RevisionMap::where(Index index, int line) const {
  const std::string& file = nodes_[index].source;
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

void RevisionMap::index_nodes(Problems& problems) {
  by_id_.reserve(nodes_.size());
  for (Index i = 0; i < static_cast<Index>(nodes_.size()); ++i) {
    auto [it, inserted] = by_id_.emplace(nodes_[i].revision.id, i);
    if (!inserted) {
      problems.push_back("duplicate revision id " + nodes_[i].revision.id + " in " +
                         where(it->second, nodes_[it->second].lines.revision) +
                         " and " + where(i, nodes_[i].lines.revision) +
                         "; give one of them a new id");
    }
  }
  sorted_by_id_.resize(nodes_.size());
  for (Index i = 0; i < static_cast<Index>(nodes_.size()); ++i) sorted_by_id_[i] = i;
  // Files come sorted by name, which starts with the id: usually in order already.
  auto by_id = [this](Index a, Index b) { return id(a) < id(b); };
  if (!std::is_sorted(sorted_by_id_.begin(), sorted_by_id_.end(), by_id)) {
    std::sort(sorted_by_id_.begin(), sorted_by_id_.end(), by_id);
  }
}

void RevisionMap::link_parents(Problems& problems) {
  for (Index i = 0; i < static_cast<Index>(nodes_.size()); ++i) {
    for (const std::string& parent : nodes_[i].revision.parents) {
      auto it = by_id_.find(parent);
      if (it == by_id_.end()) {
        problems.push_back(where(i, nodes_[i].lines.parents) + ": parent " + parent +
                           " of revision " + id(i) +
                           " does not exist; fix '-- schemagate:parents' or restore the missing "
                           "file");
        continue;
      }
      if (it->second == i) {
        problems.push_back(where(i, nodes_[i].lines.parents) + ": revision " + id(i) +
                           " lists itself as parent");
        continue;
      }
      nodes_[i].parents.push_back(it->second);
      nodes_[it->second].children.push_back(i);
    }
  }
  for (Index i : sorted_by_id_) {
    if (nodes_[i].children.empty()) heads_.push_back(i);
    if (nodes_[i].parents.empty()) bases_.push_back(i);
  }
}

void RevisionMap::index_labels(Problems& problems) {
  for (Index i : sorted_by_id_) {
    for (const std::string& label : nodes_[i].revision.branch_labels) {
      bool reserved = std::find(std::begin(kReservedLabels), std::end(kReservedLabels), label) !=
                      std::end(kReservedLabels);
      if (reserved || looks_generated(label) || by_id_.count(label)) {
        problems.push_back(where(i, nodes_[i].lines.branch_labels) + ": branch label '" +
                           label + "' would be read as a revision target; choose another name");
        continue;
      }
      auto [it, inserted] = label_owner_.emplace(label, i);
      if (!inserted) {
        problems.push_back(where(i, nodes_[i].lines.branch_labels) + ": branch label '" +
                           label + "' is already declared by revision " + id(it->second) + " (" +
                           where(it->second, nodes_[it->second].lines.branch_labels) +
                           "); labels name one branch each");
      }
    }
  }
}

void RevisionMap::sort_topologically(Problems& problems) {
  std::vector<int> in_degree(nodes_.size());
  auto by_id_desc = [this](Index a, Index b) { return id(a) > id(b); };
  std::priority_queue<Index, std::vector<Index>, decltype(by_id_desc)> ready(by_id_desc);
  for (Index i = 0; i < static_cast<Index>(nodes_.size()); ++i) {
    in_degree[i] = static_cast<int>(nodes_[i].parents.size());
    if (in_degree[i] == 0) ready.push(i);
  }
  topological_.reserve(nodes_.size());
  while (!ready.empty()) {
    Index next = ready.top();
    ready.pop();
    nodes_[next].rank = static_cast<int>(topological_.size());
    topological_.push_back(next);
    for (Index child : nodes_[next].children) {
      if (--in_degree[child] == 0) ready.push(child);
    }
  }
  if (topological_.size() != nodes_.size()) {
    problems.push_back("cycle in the revision graph: " + cycle_description(in_degree) +
                       "; a revision cannot be its own ancestor, fix the parents lines");
  }
}

std::string RevisionMap::cycle_description(const std::vector<int>& remaining_in_degree) const {
  // Every node left with a positive in-degree is on or behind a cycle; walking
  // parents that are also left must revisit a node, and the loop between the
  // two visits is a cycle.
  Index start = 0;
  while (remaining_in_degree[start] == 0) ++start;
  std::vector<int> seen_at(nodes_.size(), -1);
  std::vector<Index> path;
  Index current = start;
  while (seen_at[current] < 0) {
    seen_at[current] = static_cast<int>(path.size());
    path.push_back(current);
    for (Index parent : nodes_[current].parents) {
      if (remaining_in_degree[parent] > 0) {
        current = parent;
        break;
      }
    }
  }
  std::string text;
  for (size_t i = seen_at[current]; i < path.size(); ++i) {
    text += id(path[i]) + " (" + where(path[i], nodes_[path[i]].lines.parents) + ") -> ";
  }
  return text + id(current);
}

void RevisionMap::propagate_labels() {
  for (const auto& [label, owner] : label_owner_) {
    Set below = descendants({owner});
    for (Index i = 0; i < static_cast<Index>(nodes_.size()); ++i) {
      if (below[i]) nodes_[i].labels.push_back(label);
    }
    // Upwards, the branch reaches back to the point where it forked.
    Index current = owner;
    while (nodes_[current].parents.size() == 1) {
      Index parent = nodes_[current].parents.front();
      if (is_branch_point(parent) || is_merge_point(parent)) break;
      nodes_[parent].labels.push_back(label);
      current = parent;
    }
  }
  for (Node& node : nodes_) std::sort(node.labels.begin(), node.labels.end());
}

std::optional<RevisionMap::Index> RevisionMap::find(const std::string& revision_id) const {
  auto it = by_id_.find(revision_id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<RevisionMap::Index> RevisionMap::label_owner(const std::string& label) const {
  auto it = label_owner_.find(label);
  if (it == label_owner_.end()) return std::nullopt;
  return it->second;
}

std::vector<RevisionMap::Index> RevisionMap::with_prefix(const std::string& prefix) const {
  auto first = std::lower_bound(sorted_by_id_.begin(), sorted_by_id_.end(), prefix,
                                [this](Index a, const std::string& p) { return id(a) < p; });
  std::vector<Index> matches;
  for (auto it = first; it != sorted_by_id_.end() && id(*it).compare(0, prefix.size(), prefix) == 0;
       ++it) {
    matches.push_back(*it);
  }
  return matches;
}

RevisionMap::Set RevisionMap::reachable(const std::vector<Index>& from,
                                        std::vector<Index> Node::*edges) const {
  Set seen(nodes_.size(), 0);
  std::vector<Index> stack(from.begin(), from.end());
  while (!stack.empty()) {
    Index next = stack.back();
    stack.pop_back();
    if (seen[next]) continue;
    seen[next] = 1;
    for (Index neighbour : nodes_[next].*edges) stack.push_back(neighbour);
  }
  return seen;
}

RevisionMap::Set RevisionMap::ancestors(const std::vector<Index>& from) const {
  return reachable(from, &Node::parents);
}

RevisionMap::Set RevisionMap::descendants(const std::vector<Index>& from) const {
  return reachable(from, &Node::children);
}

std::vector<RevisionMap::Index> RevisionMap::heads_of(const Set& set) const {
  std::vector<Index> result;
  for (Index i : sorted_by_id_) {
    if (!set[i]) continue;
    bool has_child_in_set = std::any_of(nodes_[i].children.begin(), nodes_[i].children.end(),
                                        [&set](Index child) { return set[child] != 0; });
    if (!has_child_in_set) result.push_back(i);
  }
  return result;
}

std::vector<RevisionMap::Index> RevisionMap::ordered(const Set& set) const {
  std::vector<Index> result;
  for (Index i : topological_) {
    if (set[i]) result.push_back(i);
  }
  return result;
}

std::vector<std::string> RevisionMap::ids(const std::vector<Index>& indexes) const {
  std::vector<std::string> result;
  result.reserve(indexes.size());
  for (Index i : indexes) result.push_back(id(i));
  return result;
}

std::string RevisionMap::describe(const std::vector<Index>& indexes) const {
  std::string text;
  for (Index i : indexes) {
    if (!text.empty()) text += ", ";
    text += id(i);
  }
  return text.empty() ? "none" : text;
}

}  // namespace schemagate::script
