#include "engine/round_trip.h"

#include <algorithm>

namespace schemagate::engine {
namespace {

using script::RevisionMap;
using Snapshot = RoundTripSubject::Snapshot;

class RoundTrip {
 public:
  RoundTrip(const script::ScriptDirectory& scripts, RoundTripSubject& subject)
      : scripts_(scripts), map_(scripts.map()), subject_(subject) {}

  Status run(std::ostream& out) {
    Snapshot empty = subject_.snapshot();
    script::Plan all = script::plan_upgrade(map_, {}, map_.heads());
    for (const script::Step& step : all.steps) {
      Status tested = test_revision(step);
      if (!tested) return tested;
      out << "ok " << map_.id(step.revision) << ", " << map_.revision(step.revision).message
          << "\n";
    }
    Snapshot at_heads = subject_.snapshot();

    Result<script::Plan> down = script::plan_downgrade(map_, heads_, {});
    if (!down) return down.error();
    Status undone = run_plan(*down);
    if (!undone) return undone;
    Status clean = expect(empty, "`downgrade base` after the round trips does not give back the "
                                 "empty schema");
    if (!clean) return clean;
    Status redone = run_plan(script::plan_upgrade(map_, {}, map_.heads()));
    if (!redone) return redone;
    Status same = expect(at_heads, "`upgrade heads` from base does not give the schema that "
                                   "upgrading revision by revision gave");
    if (!same) return same;
    out << "ok downgrade base, upgrade heads: " << all.steps.size() << " revision(s)"
        << subject_.describe(at_heads) << "\n";
    return {};
  }

 private:
  Status test_revision(const script::Step& up) {
    const RevisionMap::Index revision = up.revision;
    const script::Migration& migration = scripts_.migration(revision);
    if (migration.body_error) return *migration.body_error;
    if (!migration.down) {
      return Error(ErrorCode::kMigrationFailed,
                   migration.path + ": revision " + map_.id(revision) +
                       " has no down section, so it cannot be undone; add "
                       "`-- schemagate:down` with the SQL that reverts it");
    }
    Snapshot before = subject_.snapshot();
    Status applied = run_step(up);
    if (!applied) return applied;
    Snapshot after = subject_.snapshot();

    Status reverted = run_step(down_step(revision));
    if (!reverted) return reverted;
    Status restored = expect(before, describe_revision(revision) +
                                         ": its down does not restore the schema before it");
    if (!restored) return restored;

    Status reapplied = run_step(script::plan_upgrade(map_, heads_, {revision}).steps.front());
    if (!reapplied) return reapplied;
    return expect(after, describe_revision(revision) +
                             ": upgrading it again after its down does not give the schema of "
                             "its first upgrade");
  }

  /// The step that undoes only `revision`, a current head: its parents come
  /// back as rows unless another applied revision still stands on them.
  script::Step down_step(RevisionMap::Index revision) const {
    script::Step step{revision, script::Direction::kDown, {revision}, {}};
    std::vector<RevisionMap::Index> others;
    for (RevisionMap::Index head : heads_) {
      if (head != revision) others.push_back(head);
    }
    RevisionMap::Set still_applied = map_.ancestors(others);
    for (RevisionMap::Index parent : map_.parents(revision)) {
      if (!still_applied[parent]) step.rows_added.push_back(parent);
    }
    return step;
  }

  Status run_plan(const script::Plan& plan) {
    for (const script::Step& step : plan.steps) {
      Status done = run_step(step);
      if (!done) return done;
    }
    return {};
  }

  Status run_step(const script::Step& step) {
    Status done = subject_.apply(scripts_.migration(step.revision), step);
    if (!done) return done;
    for (RevisionMap::Index removed : step.rows_removed) {
      heads_.erase(std::remove(heads_.begin(), heads_.end(), removed), heads_.end());
    }
    heads_.insert(heads_.end(), step.rows_added.begin(), step.rows_added.end());
    return {};
  }

  Status expect(Snapshot expected, const std::string& failure) {
    std::vector<std::string> differences = subject_.differences_from(expected);
    if (differences.empty()) return {};
    std::string message = failure + ":";
    for (const std::string& difference : differences) message += "\n  " + difference;
    return Error(ErrorCode::kMigrationFailed, message);
  }

  std::string describe_revision(RevisionMap::Index revision) const {
    return "revision " + map_.id(revision) + " (" + scripts_.migration(revision).path + ")";
  }

  const script::ScriptDirectory& scripts_;
  const RevisionMap& map_;
  RoundTripSubject& subject_;
  std::vector<RevisionMap::Index> heads_;
};

}  // namespace

Status round_trip(const script::ScriptDirectory& scripts, RoundTripSubject& subject,
                  std::ostream& out) {
  return RoundTrip(scripts, subject).run(out);
}

}  // namespace schemagate::engine
