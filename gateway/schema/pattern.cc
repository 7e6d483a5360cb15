// A small backtracking matcher for the ECMA-262 regex subset schemas use (classes, escapes,
// groups, alternation, greedy/lazy quantifiers, anchors, \b, lookahead). It works on code points,
// allocates nothing while matching and bounds its work, which std::regex does none of. Patterns
// outside the subset (backreferences, lookbehind) fall back to std::regex; what neither accepts
// is refused at schema load.
#include "gateway/schema/pattern.h"

#include <optional>
#include <regex>
#include <stdexcept>

#include "gateway/schema/pattern_dfa.h"
#include "gateway/schema/pattern_syntax.h"

namespace coregate::schema::detail {

namespace {

using namespace regex;

// A continuation: what remains to match after the current node.
struct Frame {
  const Re* re;
  std::uint32_t index;  // kSeq: next child; kRepeat: iterations done
  std::size_t start;    // kRepeat: where the current iteration began
  const Frame* next;
};

class Matcher {
 public:
  Matcher(const std::vector<Re>& nodes, std::string_view text) : nodes_(nodes), text_(text) {}

  bool match_at(int root, std::size_t pos) { return match(&nodes_[root], pos, nullptr); }
  bool exhausted() const { return gave_up_; }

 private:
  // Bounds both time (catastrophic backtracking) and stack depth; an exhausted search reports
  // "no match", so a hostile instance fails validation instead of hanging the gateway.
  bool spend() {
    if (--budget_ <= 0 || depth_ >= kMaxDepth) {
      gave_up_ = true;
      return false;
    }
    return true;
  }

  bool proceed(const Frame* k, std::size_t pos) {
    if (k == nullptr) return true;
    if (!spend()) return false;
    DepthGuard guard(depth_);
    const Re* re = k->re;
    if (re->kind == Kind::kSeq) {
      if (k->index == re->children.size()) return proceed(k->next, pos);
      Frame f{re, k->index + 1, 0, k->next};
      return match(&nodes_[re->children[k->index]], pos, &f);
    }
    // kRepeat: one iteration finished. An empty iteration past the minimum cannot progress.
    if (pos == k->start && k->index + 1 > re->min) return false;
    return repeat(re, k->index + 1, pos, k->next);
  }

  bool repeat(const Re* re, std::uint32_t count, std::size_t pos, const Frame* k) {
    const Re* child = &nodes_[re->children[0]];
    if (child->kind == Kind::kSet) return repeat_set(re, child->set, count, pos, k);
    Frame f{re, count, pos, k};
    if (count < re->min) return match(child, pos, &f);
    if (re->greedy) {
      if (count < re->max && match(child, pos, &f)) return true;
      return proceed(k, pos);
    }
    if (proceed(k, pos)) return true;
    return count < re->max && match(child, pos, &f);
  }

  // A repeated single-code-point set, matched iteratively (no recursion per iteration).
  bool repeat_set(const Re* re, const CodePointSet& set, std::uint32_t count, std::size_t pos,
                  const Frame* k) {
    std::size_t p = pos;
    std::uint32_t n = count;
    while (n < re->min) {
      if (p >= text_.size()) return false;
      std::size_t len = 0;
      if (!set.matches(decode(text_, p, len))) return false;
      p += len;
      ++n;
    }
    if (!re->greedy) {
      while (true) {
        if (proceed(k, p)) return true;
        if (n >= re->max || p >= text_.size() || !spend()) return false;
        std::size_t len = 0;
        if (!set.matches(decode(text_, p, len))) return false;
        p += len;
        ++n;
      }
    }
    std::size_t floor = p;
    while (n < re->max && p < text_.size()) {
      std::size_t len = 0;
      if (!set.matches(decode(text_, p, len))) break;
      p += len;
      ++n;
    }
    while (true) {
      if (proceed(k, p)) return true;
      if (p == floor || !spend()) return false;
      // Step back one code point (skip UTF-8 continuation bytes).
      do {
        --p;
      } while (p > floor && (static_cast<unsigned char>(text_[p]) & 0xC0) == 0x80);
    }
  }

  bool match(const Re* re, std::size_t pos, const Frame* k) {
    if (!spend()) return false;
    DepthGuard guard(depth_);
    switch (re->kind) {
      case Kind::kSet: {
        if (pos >= text_.size()) return false;
        std::size_t len = 0;
        if (!re->set.matches(decode(text_, pos, len))) return false;
        return proceed(k, pos + len);
      }
      case Kind::kSeq: {
        Frame f{re, 0, 0, k};
        return proceed(&f, pos);
      }
      case Kind::kAlt:
        for (int child : re->children) {
          if (match(&nodes_[child], pos, k)) return true;
        }
        return false;
      case Kind::kRepeat:
        return repeat(re, 0, pos, k);
      case Kind::kStart:
        return pos == 0 && proceed(k, pos);
      case Kind::kEnd:
        return pos == text_.size() && proceed(k, pos);
      case Kind::kWordBoundary:
      case Kind::kNotWordBoundary: {
        bool before = pos > 0 && is_word_char(static_cast<unsigned char>(text_[pos - 1]));
        bool after = pos < text_.size() && is_word_char(static_cast<unsigned char>(text_[pos]));
        bool boundary = before != after;
        if (boundary != (re->kind == Kind::kWordBoundary)) return false;
        return proceed(k, pos);
      }
      case Kind::kLook: {
        bool found = match(&nodes_[re->children[0]], pos, nullptr);
        if (found == re->negative) return false;
        return proceed(k, pos);
      }
    }
    return false;
  }

  struct DepthGuard {
    explicit DepthGuard(int& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
    int& depth;
  };

  static constexpr int kMaxDepth = 4000;
  const std::vector<Re>& nodes_;
  std::string_view text_;
  long budget_ = 1'000'000;
  int depth_ = 0;
  bool gave_up_ = false;
};

}  // namespace

struct Pattern::Impl {
  std::optional<regex::Dfa> dfa;
  std::vector<Re> nodes;
  int root = 0;
  std::optional<std::regex> fallback;
};

Pattern::Pattern(std::string_view source) : source_(source), impl_(std::make_unique<Impl>()) {
  try {
    impl_->nodes = regex::parse(source, impl_->root);
    impl_->dfa = regex::Dfa::build(impl_->nodes, impl_->root);
  } catch (const NotNative&) {
    try {
      impl_->fallback.emplace(std::string(source), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument(std::string("unsupported regular expression: ") + e.what());
    }
  }
}

Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

std::optional<bool> regex::backtracking_search(const std::vector<Re>& nodes, int root,
                                               std::string_view text) {
  const Re& top = nodes[root];
  const bool anchored_start = top.kind == Kind::kSeq && !top.children.empty() &&
                              nodes[top.children[0]].kind == Kind::kStart;
  Matcher matcher(nodes, text);
  std::size_t pos = 0;
  while (true) {
    if (matcher.match_at(root, pos)) return true;
    if (matcher.exhausted()) return std::nullopt;
    if (anchored_start || pos >= text.size()) return false;
    std::size_t len = 0;
    decode(text, pos, len);
    pos += len;
  }
}

bool Pattern::search(std::string_view text) const {
  if (impl_->dfa) return impl_->dfa->search(text);
  if (impl_->fallback) {
    return std::regex_search(text.begin(), text.end(), *impl_->fallback);
  }
  // A search that ran out of budget reports "no match": a hostile instance fails validation
  // instead of stalling the gateway.
  return regex::backtracking_search(impl_->nodes, impl_->root, text).value_or(false);
}

}  // namespace coregate::schema::detail
