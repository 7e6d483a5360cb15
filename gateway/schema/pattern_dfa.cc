// Thompson NFA from the parsed pattern, then subset construction over code-point classes.
#include "gateway/schema/pattern_dfa.h"

#include <algorithm>
#include <map>
#include <set>

namespace coregate::schema::detail::regex {

namespace {

constexpr std::size_t kMaxNfaStates = 4000;
constexpr std::size_t kMaxDfaStates = 600;
constexpr std::size_t kMaxClasses = 255;
constexpr std::size_t kMaxConstructionWork = 20'000'000;

struct NState {
  enum Type { kSet, kSplit, kStart, kEnd, kMatch } type;
  const CodePointSet* set = nullptr;
  int next = -1;
  std::vector<int> outs;  // kSplit
};

struct TooComplex {};

class NfaBuilder {
 public:
  explicit NfaBuilder(const std::vector<Re>& nodes) : nodes_(nodes) {}

  std::vector<NState> states;

  int add(NState s) {
    if (states.size() >= kMaxNfaStates) throw TooComplex{};
    states.push_back(std::move(s));
    return static_cast<int>(states.size() - 1);
  }

  // Returns the entry state of `re` whose exit leads to `next`.
  int build(int re_index, int next) {
    const Re& re = nodes_[re_index];
    switch (re.kind) {
      case Kind::kSet:
        return add({NState::kSet, &re.set, next, {}});
      case Kind::kSeq: {
        int s = next;
        for (auto it = re.children.rbegin(); it != re.children.rend(); ++it) s = build(*it, s);
        return s;
      }
      case Kind::kAlt: {
        NState split{NState::kSplit, nullptr, -1, {}};
        for (int child : re.children) split.outs.push_back(build(child, next));
        return add(std::move(split));
      }
      case Kind::kRepeat: {
        int child = re.children[0];
        int s = next;
        if (re.max == kUnbounded) {
          int loop = add({NState::kSplit, nullptr, -1, {}});
          int body = build(child, loop);
          states[loop].outs = {body, next};
          s = loop;
        } else {
          for (std::uint32_t i = re.min; i < re.max; ++i) {
            int body = build(child, s);
            s = add({NState::kSplit, nullptr, -1, {body, next}});
          }
        }
        for (std::uint32_t i = 0; i < re.min; ++i) s = build(child, s);
        return s;
      }
      case Kind::kStart:
        return add({NState::kStart, nullptr, next, {}});
      case Kind::kEnd:
        return add({NState::kEnd, nullptr, next, {}});
      case Kind::kWordBoundary:
      case Kind::kNotWordBoundary:
      case Kind::kLook:
        throw TooComplex{};
    }
    throw TooComplex{};
  }

 private:
  const std::vector<Re>& nodes_;
};

// Epsilon closure. kEnd states are kept as members (passable only at end of input); kStart is
// passable only when at_start.
void closure(const std::vector<NState>& nfa, int state, bool at_start, std::vector<char>& seen,
             std::vector<int>& members) {
  if (state < 0 || seen[state]) return;
  seen[state] = 1;
  const NState& s = nfa[state];
  switch (s.type) {
    case NState::kSplit:
      for (int out : s.outs) closure(nfa, out, at_start, seen, members);
      return;
    case NState::kStart:
      if (at_start) closure(nfa, s.next, at_start, seen, members);
      return;
    case NState::kSet:
    case NState::kEnd:
    case NState::kMatch:
      members.push_back(state);
      return;
  }
}

// From the kEnd members, can the match state be reached at end of input?
bool reaches_match_at_end(const std::vector<NState>& nfa, const std::vector<int>& members,
                          bool at_start) {
  std::vector<char> seen(nfa.size(), 0);
  std::vector<int> stack;
  for (int m : members) {
    if (nfa[m].type == NState::kMatch) return true;
    if (nfa[m].type == NState::kEnd) stack.push_back(m);
  }
  while (!stack.empty()) {
    int id = stack.back();
    stack.pop_back();
    if (id < 0 || seen[id]) continue;
    seen[id] = 1;
    const NState& s = nfa[id];
    switch (s.type) {
      case NState::kMatch:
        return true;
      case NState::kEnd:
        stack.push_back(s.next);
        break;
      case NState::kStart:
        if (at_start) stack.push_back(s.next);
        break;
      case NState::kSplit:
        for (int out : s.outs) stack.push_back(out);
        break;
      case NState::kSet:
        break;
    }
  }
  return false;
}

}  // namespace

int Dfa::class_of(std::uint32_t cp) const {
  if (cp < 128) return ascii_class_[cp];
  auto it = std::upper_bound(interval_starts_.begin(), interval_starts_.end(), cp);
  return interval_class_[static_cast<std::size_t>(it - interval_starts_.begin()) - 1];
}

std::optional<Dfa> Dfa::build(const std::vector<Re>& nodes, int root) {
  NfaBuilder builder(nodes);
  int start = 0;
  try {
    int match = builder.add({NState::kMatch, nullptr, -1, {}});
    start = builder.build(root, match);
  } catch (const TooComplex&) {
    return std::nullopt;
  }
  const std::vector<NState>& nfa = builder.states;

  // Code-point classes: code points every set treats alike share a class.
  std::vector<const CodePointSet*> sets;
  std::set<std::uint32_t> cuts = {128};
  for (const auto& s : nfa) {
    if (s.type != NState::kSet) continue;
    sets.push_back(s.set);
    for (const auto& [lo, hi] : s.set->ranges) {
      cuts.insert(lo);
      if (hi + 1 <= 0x10FFFF) cuts.insert(hi + 1);
    }
  }
  Dfa dfa;
  std::map<std::vector<bool>, int> signature_class;
  std::vector<std::uint32_t> representative;
  auto classify = [&](std::uint32_t cp) {
    std::vector<bool> signature;
    signature.reserve(sets.size());
    for (const auto* set : sets) signature.push_back(set->matches(cp));
    auto [it, inserted] =
        signature_class.try_emplace(signature, static_cast<int>(representative.size()));
    if (inserted) representative.push_back(cp);
    return it->second;
  };
  for (std::uint32_t c = 0; c < 128; ++c)
    dfa.ascii_class_[c] = static_cast<std::uint8_t>(classify(c));
  for (std::uint32_t cut : cuts) {
    dfa.interval_starts_.push_back(cut);
    dfa.interval_class_.push_back(static_cast<std::uint8_t>(classify(cut)));
  }
  if (representative.size() > kMaxClasses) return std::nullopt;
  dfa.classes_ = static_cast<int>(representative.size());

  // Subset construction. A state is its sorted member list plus "is the initial state".
  std::map<std::pair<std::vector<int>, bool>, int> ids;
  std::vector<std::vector<int>> members_of;
  std::vector<int> injected;  // closure of start away from position 0: unanchored search
  {
    std::vector<char> seen(nfa.size(), 0);
    closure(nfa, start, false, seen, injected);
  }
  auto intern = [&](std::vector<int> members, bool initial) -> int {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    auto key = std::make_pair(members, initial);
    auto it = ids.find(key);
    if (it != ids.end()) return it->second;
    if (members_of.size() >= kMaxDfaStates) throw TooComplex{};
    int id = static_cast<int>(members_of.size());
    ids.emplace(std::move(key), id);
    bool now = std::any_of(members.begin(), members.end(),
                           [&](int m) { return nfa[m].type == NState::kMatch; });
    dfa.flags_.push_back(static_cast<std::uint8_t>(
        (now ? kAcceptNow : 0) | (members.empty() ? kDead : 0) |
        (reaches_match_at_end(nfa, members, initial) ? kAcceptAtEnd : 0)));
    members_of.push_back(std::move(members));
    return id;
  };
  std::size_t work = 0;  // bounds construction time for pathological expressions
  try {
    std::vector<int> first;
    std::vector<char> seen(nfa.size(), 0);
    closure(nfa, start, true, seen, first);
    intern(first, true);
    for (std::size_t state = 0; state < members_of.size(); ++state) {
      for (int c = 0; c < dfa.classes_; ++c) {
        work += nfa.size() + members_of[state].size();
        if (work > kMaxConstructionWork) throw TooComplex{};
        std::vector<int> next = injected;
        std::vector<char> seen_next(nfa.size(), 0);
        for (int m : injected) seen_next[m] = 1;
        for (int m : members_of[state]) {
          const NState& s = nfa[m];
          if (s.type == NState::kSet && s.set->matches(representative[c])) {
            closure(nfa, s.next, false, seen_next, next);
          }
        }
        int target = intern(std::move(next), false);
        if (dfa.transitions_.size() < (state + 1) * dfa.classes_) {
          dfa.transitions_.resize((state + 1) * dfa.classes_, -1);
        }
        dfa.transitions_[state * dfa.classes_ + c] = target;
      }
    }
  } catch (const TooComplex&) {
    return std::nullopt;
  }
  dfa.ascii_transitions_.resize(members_of.size() * 128);
  for (std::size_t state = 0; state < members_of.size(); ++state) {
    for (std::size_t b = 0; b < 128; ++b) {
      dfa.ascii_transitions_[state * 128 + b] =
          static_cast<std::uint16_t>(dfa.transitions_[state * dfa.classes_ + dfa.ascii_class_[b]]);
    }
  }
  return dfa;
}

bool Dfa::search(std::string_view text) const {
  std::size_t state = 0;
  if (flags_[0] & kAcceptNow) return true;
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos < n) {
    auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      state = ascii_transitions_[state * 128 + byte];
      ++pos;
    } else {
      std::size_t len = 0;
      int c = class_of(decode(text, pos, len));
      pos += len;
      state = static_cast<std::size_t>(transitions_[state * classes_ + c]);
    }
    if (std::uint8_t f = flags_[state]; f & (kAcceptNow | kDead)) return (f & kAcceptNow) != 0;
  }
  return (flags_[state] & kAcceptAtEnd) != 0;
}

}  // namespace coregate::schema::detail::regex
