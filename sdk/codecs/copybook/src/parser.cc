// Copybook parser: source lines -> tokens -> data description entries -> tree -> layout.
#include "coregate/codecs/copybook/parser.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <set>
#include <unordered_set>

#include "sdk/codecs/copybook/src/picture.h"

namespace coregate::codecs::copybook {

CopybookError::CopybookError(int line, int column, const std::string& message)
    : std::runtime_error("line " + std::to_string(line) + ", column " + std::to_string(column) +
                         ": " + message),
      line_(line),
      column_(column) {}

namespace {

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

// ---------------------------------------------------------------------------------------------
// Source lines

struct SourceLine {
  std::string text;  // the code area only
  int line = 0;
  int first_column = 1;  // column of text[0] in the original line
  bool continuation = false;
};

std::string expand_tabs(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (c == '\t') {
      out.push_back(' ');
      while (out.size() % 8 != 0) out.push_back(' ');
    } else if (c != '\r') {
      out.push_back(c);
    }
  }
  return out;
}

bool looks_fixed(const std::vector<std::string>& lines) {
  // Fixed format when every non-blank line has a valid indicator in column 7 (or is too short to
  // reach it). The sequence area may hold anything, except the usual free-format shape of a level
  // number and a blank starting in columns 1-4 ("01 RECORD."), which decides for free format.
  for (const auto& l : lines) {
    const auto first = l.find_first_not_of(' ');
    if (first == std::string::npos || l.size() < 7) continue;
    const char ind = l[6];
    if (!(ind == ' ' || ind == '*' || ind == '/' || ind == '-' || ind == 'D' || ind == 'd'))
      return false;
    if (first + 2 < 6 && std::isdigit(static_cast<unsigned char>(l[first])) &&
        std::isdigit(static_cast<unsigned char>(l[first + 1])) && l[first + 2] == ' ')
      return false;
  }
  return true;
}

std::vector<SourceLine> split_lines(std::string_view text, SourceFormat format) {
  std::vector<std::string> raw;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    raw.push_back(expand_tabs(text.substr(start, nl - start)));
    start = nl + 1;
    if (nl == text.size()) break;
  }
  if (format == SourceFormat::kAuto)
    format = looks_fixed(raw) ? SourceFormat::kFixed : SourceFormat::kFree;

  std::vector<SourceLine> out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string& l = raw[i];
    SourceLine sl;
    sl.line = static_cast<int>(i + 1);
    if (format == SourceFormat::kFixed) {
      if (l.size() < 7) continue;
      char ind = l[6];
      if (ind == '*' || ind == '/' || ind == 'D' || ind == 'd') continue;
      sl.continuation = ind == '-';
      sl.text = l.substr(7, std::min<std::size_t>(l.size(), 72) - 7);
      sl.first_column = 8;
    } else {
      auto first = l.find_first_not_of(' ');
      if (first == std::string::npos) continue;
      if (l[first] == '*' || l[first] == '/') continue;
      sl.text = l;
      sl.first_column = 1;
      if (l[first] == '-' && first + 1 < l.size() &&
          (l[first + 1] == '\'' || l[first + 1] == '"')) {
        sl.continuation = true;
        sl.text[first] = ' ';
      }
    }
    // "*>" starts an inline comment in both formats (outside literals; handled by the tokenizer).
    out.push_back(std::move(sl));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tokens

enum class TokenKind { kWord, kLiteral, kPeriod };

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;  // literal: contents without quotes
  int line = 0;
  int column = 0;
  bool open = false;  // literal not closed on its line (expects a continuation)
  bool hex = false;
};

std::vector<Token> tokenize(const std::vector<SourceLine>& lines) {
  std::vector<Token> tokens;
  for (const SourceLine& sl : lines) {
    const std::string& t = sl.text;
    std::size_t i = 0;
    bool continuing = sl.continuation && !tokens.empty();
    while (i < t.size()) {
      char c = t[i];
      if (c == ' ' || ((c == ',' || c == ';') && (i + 1 == t.size() || t[i + 1] == ' '))) {
        ++i;
        continue;
      }
      if (c == '*' && i + 1 < t.size() && t[i + 1] == '>') break;  // inline comment
      const int col = sl.first_column + static_cast<int>(i);
      if (continuing) {
        continuing = false;
        Token& prev = tokens.back();
        if (prev.kind == TokenKind::kLiteral && prev.open && (c == '\'' || c == '"')) {
          // Continue the open literal after the quote that starts the continuation.
          std::size_t j = i + 1;
          char q = c;
          prev.open = true;
          while (j < t.size()) {
            if (t[j] == q) {
              if (j + 1 < t.size() && t[j + 1] == q) {
                prev.text.push_back(q);
                j += 2;
                continue;
              }
              prev.open = false;
              ++j;
              break;
            }
            prev.text.push_back(t[j++]);
          }
          i = j;
          continue;
        }
        if (prev.kind == TokenKind::kWord) {
          // A word split across lines: glue the first word of this line onto it.
          std::size_t j = i;
          while (j < t.size() && t[j] != ' ') ++j;
          std::string w = t.substr(i, j - i);
          i = j;
          if (!w.empty() && w.back() == '.') {
            w.pop_back();
            prev.text += w;
            tokens.push_back(Token{TokenKind::kPeriod, ".", sl.line,
                                   col + static_cast<int>(j - 1 - (j - i)), false, false});
          } else {
            prev.text += w;
          }
          continue;
        }
      }
      bool hex = false;
      if ((c == 'X' || c == 'x' || c == 'N' || c == 'n') && i + 1 < t.size() &&
          (t[i + 1] == '\'' || t[i + 1] == '"')) {
        hex = c == 'X' || c == 'x';
        ++i;
        c = t[i];
      }
      if (c == '\'' || c == '"') {
        Token tok{TokenKind::kLiteral, "", sl.line, col, true, hex};
        std::size_t j = i + 1;
        while (j < t.size()) {
          if (t[j] == c) {
            if (j + 1 < t.size() && t[j + 1] == c) {
              tok.text.push_back(c);
              j += 2;
              continue;
            }
            tok.open = false;
            ++j;
            break;
          }
          tok.text.push_back(t[j++]);
        }
        if (tok.open) {
          // In fixed format an unterminated literal continues on a '-' line; the text runs to col
          // 72, so trailing spaces belong to it. (Already included: we took the area to col 72.)
        }
        tokens.push_back(std::move(tok));
        i = j;
        continue;
      }
      std::size_t j = i;
      while (j < t.size() && t[j] != ' ') ++j;
      std::string w = t.substr(i, j - i);
      i = j;
      bool period = false;
      if (w.size() > 0 && w.back() == '.') {
        w.pop_back();
        period = true;
      }
      if (!w.empty()) tokens.push_back(Token{TokenKind::kWord, w, sl.line, col, false, false});
      if (period)
        tokens.push_back(Token{TokenKind::kPeriod, ".", sl.line, col + static_cast<int>(w.size()),
                               false, false});
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Entries

const std::unordered_set<std::string>& clause_words() {
  static const std::unordered_set<std::string> words = {"PIC",
                                                        "PICTURE",
                                                        "USAGE",
                                                        "COMP",
                                                        "COMP-0",
                                                        "COMP-1",
                                                        "COMP-2",
                                                        "COMP-3",
                                                        "COMP-4",
                                                        "COMP-5",
                                                        "COMPUTATIONAL",
                                                        "COMPUTATIONAL-0",
                                                        "COMPUTATIONAL-1",
                                                        "COMPUTATIONAL-2",
                                                        "COMPUTATIONAL-3",
                                                        "COMPUTATIONAL-4",
                                                        "COMPUTATIONAL-5",
                                                        "BINARY",
                                                        "PACKED-DECIMAL",
                                                        "DISPLAY",
                                                        "SIGN",
                                                        "LEADING",
                                                        "TRAILING",
                                                        "SYNC",
                                                        "SYNCHRONIZED",
                                                        "OCCURS",
                                                        "REDEFINES",
                                                        "VALUE",
                                                        "VALUES",
                                                        "JUSTIFIED",
                                                        "JUST",
                                                        "BLANK",
                                                        "EXTERNAL",
                                                        "GLOBAL",
                                                        "RENAMES",
                                                        "INDEX",
                                                        "POINTER",
                                                        "IS"};
  return words;
}

std::optional<Usage> usage_word(const std::string& w) {
  if (w == "DISPLAY") return Usage::kDisplay;
  if (w == "COMP" || w == "COMP-0" || w == "COMP-4" || w == "COMPUTATIONAL" ||
      w == "COMPUTATIONAL-0" || w == "COMPUTATIONAL-4" || w == "BINARY")
    return Usage::kBinary;
  if (w == "COMP-5" || w == "COMPUTATIONAL-5") return Usage::kNativeBinary;
  if (w == "COMP-3" || w == "COMPUTATIONAL-3" || w == "PACKED-DECIMAL") return Usage::kPacked;
  if (w == "COMP-1" || w == "COMPUTATIONAL-1") return Usage::kFloat32;
  if (w == "COMP-2" || w == "COMPUTATIONAL-2") return Usage::kFloat64;
  if (w == "INDEX") return Usage::kIndex;
  if (w == "POINTER") return Usage::kPointer;
  return std::nullopt;
}

struct RawEntry {
  Field field;
  bool usage_explicit = false;
  bool sign_explicit = false;
  std::string picture_text;
  int picture_line = 0, picture_column = 0;
  bool is_condition = false;
  Condition condition;
};

class EntryParser {
 public:
  explicit EntryParser(const std::vector<Token>& tokens) : t_(tokens) {}

  std::vector<RawEntry> parse() {
    std::vector<RawEntry> entries;
    while (pos_ < t_.size()) {
      if (t_[pos_].kind == TokenKind::kPeriod) {  // stray period
        ++pos_;
        continue;
      }
      entries.push_back(entry());
    }
    return entries;
  }

 private:
  [[noreturn]] void fail(const Token& at, const std::string& msg) const {
    throw CopybookError(at.line, at.column, msg);
  }
  [[noreturn]] void fail_here(const std::string& msg) const {
    if (pos_ < t_.size()) fail(t_[pos_], msg);
    int line = t_.empty() ? 1 : t_.back().line;
    int col = t_.empty() ? 1 : t_.back().column;
    throw CopybookError(line, col, msg + " (at end of copybook)");
  }
  bool at_end() const { return pos_ >= t_.size(); }
  const Token& peek() const {
    if (at_end()) fail_here("unexpected end of copybook; a '.' is missing");
    return t_[pos_];
  }
  bool peek_word(const char* w) const {
    return !at_end() && t_[pos_].kind == TokenKind::kWord && upper(t_[pos_].text) == w;
  }
  bool accept(const char* w) {
    if (peek_word(w)) {
      ++pos_;
      return true;
    }
    return false;
  }
  const Token& next() {
    const Token& tok = peek();
    ++pos_;
    return tok;
  }
  std::string next_word(const char* what) {
    const Token& tok = peek();
    if (tok.kind != TokenKind::kWord) fail(tok, std::string("expected ") + what);
    ++pos_;
    return tok.text;
  }
  // A data name, optionally qualified ("X OF Y"); qualifiers are dropped (kept as "Y.X"? no:
  // we resolve by the innermost name and use qualifiers to disambiguate later).
  std::string data_name(const char* what) {
    std::string name = upper(next_word(what));
    while (peek_word("OF") || peek_word("IN")) {
      ++pos_;
      name = upper(next_word("a qualifier after OF/IN")) + "." + name;
    }
    return name;
  }
  int parse_int(const Token& tok, const char* what) {
    if (tok.kind != TokenKind::kWord || tok.text.empty() || tok.text.size() > 9 ||
        !std::all_of(tok.text.begin(), tok.text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      fail(tok, std::string("expected ") + what);
    return std::stoi(tok.text);
  }
  std::string literal_text(const char* what) {
    const Token& tok = peek();
    if (tok.kind == TokenKind::kPeriod) fail(tok, std::string("expected ") + what);
    ++pos_;
    if (tok.kind == TokenKind::kLiteral) {
      if (tok.open) fail(tok, "literal is not closed");
      if (tok.hex) {
        std::string bytes;
        if (tok.text.size() % 2) fail(tok, "hexadecimal literal with an odd number of digits");
        for (std::size_t i = 0; i < tok.text.size(); i += 2) {
          auto hv = [&](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            fail(tok, "bad hexadecimal digit in literal");
          };
          bytes.push_back(static_cast<char>(hv(tok.text[i]) * 16 + hv(tok.text[i + 1])));
        }
        return bytes;
      }
      return tok.text;
    }
    std::string w = upper(tok.text);
    if (w == "ALL") return "ALL " + literal_text(what);
    return tok.text;  // numeric literal or figurative constant (SPACES, ZERO, ...)
  }
  bool at_clause_boundary() const {
    if (at_end()) return true;
    const Token& tok = t_[pos_];
    if (tok.kind == TokenKind::kPeriod) return true;
    if (tok.kind != TokenKind::kWord) return false;
    std::string w = upper(tok.text);
    return clause_words().count(w) > 0 || w == "INDEXED" || w == "ASCENDING" || w == "DESCENDING" ||
           w == "DEPENDING";
  }

  RawEntry entry() {
    RawEntry e;
    const Token& lv = next();
    int level = parse_int(lv, "a level number (01-49, 66, 77 or 88)");
    if (!((level >= 1 && level <= 49) || level == 66 || level == 77 || level == 88))
      fail(lv, "level number " + lv.text + " is not 01-49, 66, 77 or 88");
    Field& f = e.field;
    f.level = level;
    f.line = lv.line;
    f.column = lv.column;
    // Name (optional: an entry may start straight with its clauses, meaning FILLER).
    if (!at_end() && peek().kind == TokenKind::kWord && !clause_words().count(upper(peek().text))) {
      const Token& nt = next();
      f.name = upper(nt.text);
      for (char c : f.name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
          fail(nt, "invalid character in data name '" + nt.text + "'");
    }
    if (f.name.empty() || f.name == "FILLER") {
      f.name = "FILLER";
      f.filler = true;
    }
    if (level == 88) {
      e.is_condition = true;
      e.condition.name = f.name;
      if (!(accept("VALUE") || accept("VALUES"))) fail_here("an 88 level needs VALUE");
      accept("IS");
      accept("ARE");
      while (!at_end() && peek().kind != TokenKind::kPeriod) {
        Condition::Range r;
        r.low = literal_text("a condition value");
        if (accept("THRU") || accept("THROUGH")) r.high = literal_text("a value after THRU");
        e.condition.values.push_back(std::move(r));
      }
      if (e.condition.values.empty()) fail_here("an 88 level needs at least one value");
      expect_period();
      return e;
    }
    if (level == 66) {
      if (!accept("RENAMES")) fail_here("a 66 level needs RENAMES");
      f.renames_from = data_name("the renamed item");
      if (accept("THRU") || accept("THROUGH")) f.renames_thru = data_name("the item after THRU");
      expect_period();
      return e;
    }
    while (!at_end() && peek().kind != TokenKind::kPeriod) clause(e);
    expect_period();
    return e;
  }

  void expect_period() {
    if (at_end()) fail_here("a '.' is missing at the end of the entry");
    if (peek().kind != TokenKind::kPeriod)
      fail(peek(), "expected '.' but found '" + peek().text + "'");
    ++pos_;
  }

  void clause(RawEntry& e) {
    Field& f = e.field;
    const Token& tok = peek();
    if (tok.kind != TokenKind::kWord) fail(tok, "unexpected literal");
    std::string w = upper(tok.text);
    ++pos_;
    if (w == "PIC" || w == "PICTURE") {
      accept("IS");
      const Token& pt = peek();
      if (pt.kind != TokenKind::kWord) fail(pt, "expected a PICTURE string");
      ++pos_;
      if (!e.picture_text.empty()) fail(tok, "PICTURE given twice");
      e.picture_text = pt.text;
      e.picture_line = pt.line;
      e.picture_column = pt.column;
      return;
    }
    if (w == "USAGE") {
      accept("IS");
      const Token& ut = peek();
      auto u = usage_word(upper(ut.text));
      if (!u) fail(ut, "unknown USAGE '" + ut.text + "'");
      ++pos_;
      f.usage = *u;
      e.usage_explicit = true;
      return;
    }
    if (auto u = usage_word(w)) {
      f.usage = *u;
      e.usage_explicit = true;
      return;
    }
    if (w == "SIGN" || w == "LEADING" || w == "TRAILING") {
      if (w == "SIGN") {
        accept("IS");
        w = upper(next_word("LEADING or TRAILING"));
      }
      if (w != "LEADING" && w != "TRAILING") fail(t_[pos_ - 1], "expected LEADING or TRAILING");
      bool separate = accept("SEPARATE");
      if (separate) accept("CHARACTER");
      f.sign = w == "LEADING"
                   ? (separate ? SignPosition::kLeadingSeparate : SignPosition::kLeading)
                   : (separate ? SignPosition::kTrailingSeparate : SignPosition::kTrailing);
      e.sign_explicit = true;
      return;
    }
    if (w == "SYNC" || w == "SYNCHRONIZED") {
      f.synchronized = true;
      if (!accept("LEFT")) accept("RIGHT");
      return;
    }
    if (w == "JUSTIFIED" || w == "JUST") {
      accept("RIGHT");
      f.justified_right = true;
      return;
    }
    if (w == "BLANK") {
      accept("WHEN");
      if (!(accept("ZERO") || accept("ZEROS") || accept("ZEROES"))) fail_here("expected ZERO");
      f.blank_when_zero = true;
      return;
    }
    if (w == "EXTERNAL" || w == "GLOBAL") return;
    if (w == "REDEFINES") {
      f.redefines = data_name("the redefined item");
      return;
    }
    if (w == "VALUE" || w == "VALUES") {
      accept("IS");
      accept("ARE");
      f.value = literal_text("a VALUE literal");
      return;
    }
    if (w == "OCCURS") {
      if (f.occurs) fail(tok, "OCCURS given twice");
      f.occurs = true;
      int a = parse_int(next(), "an OCCURS count");
      int b = a;
      bool saw_to = false;
      if (accept("TO")) {
        b = parse_int(next(), "the maximum OCCURS count");
        saw_to = true;
      }
      accept("TIMES");
      if (a > b) fail(tok, "OCCURS minimum is larger than the maximum");
      if (b == 0) fail(tok, "OCCURS maximum of zero");
      f.occurs_min = a;
      f.occurs_max = b;
      if (accept("DEPENDING")) {
        accept("ON");
        f.depending_on = data_name("the DEPENDING ON item");
        if (!saw_to) f.occurs_min = 0;  // "OCCURS n DEPENDING ON x" (IBM extension): 0 to n
      } else if (b != a) {
        fail(tok, "OCCURS m TO n needs DEPENDING ON");
      }
      if (f.depending_on.empty()) f.occurs_min = b;
      while (peek_word("ASCENDING") || peek_word("DESCENDING") || peek_word("INDEXED")) {
        std::string kw = upper(next().text);
        if (kw == "INDEXED")
          accept("BY");
        else {
          accept("KEY");
          accept("IS");
        }
        int n = 0;
        while (!at_clause_boundary()) {
          next();
          ++n;
        }
        if (n == 0) fail_here("expected a name after " + kw);
      }
      return;
    }
    if (w == "RENAMES") fail(tok, "RENAMES is only valid on a 66 level");
    fail(tok, "unknown clause '" + tok.text + "'");
  }

  const std::vector<Token>& t_;
  std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Tree and layout

bool name_matches(const Copybook& cb, int idx, const std::string& qualified) {
  // qualified is "Q2.Q1.NAME" (outermost qualifier first) or "NAME".
  std::vector<std::string> parts;
  std::size_t s = 0;
  while (true) {
    auto d = qualified.find('.', s);
    parts.push_back(qualified.substr(s, d == std::string::npos ? std::string::npos : d - s));
    if (d == std::string::npos) break;
    s = d + 1;
  }
  if (cb.fields[idx].name != parts.back()) return false;
  int p = cb.fields[idx].parent;
  for (int k = static_cast<int>(parts.size()) - 2; k >= 0; --k) {
    while (p >= 0 && cb.fields[p].name != parts[k]) p = cb.fields[p].parent;
    if (p < 0) return false;
    p = cb.fields[p].parent;
  }
  return true;
}

int resolve(const Copybook& cb, const std::string& qualified, int before, const Field& at,
            const char* what) {
  int found = -1;
  for (int i = 0; i < static_cast<int>(cb.fields.size()); ++i) {
    if (cb.fields[i].level == 66) continue;
    if (!name_matches(cb, i, qualified)) continue;
    if (found >= 0 && i < before) {
      // Prefer the nearest preceding one; ambiguity among earlier ones is an error.
      throw CopybookError(
          at.line, at.column,
          std::string(what) + " '" + qualified + "' is ambiguous; qualify it with OF");
    }
    if (found < 0) found = i;
  }
  if (found < 0)
    throw CopybookError(at.line, at.column,
                        std::string(what) + " '" + qualified + "' is not defined");
  return found;
}

void layout(Copybook& cb, int idx, std::size_t offset, std::size_t root_offset,
            const ParseOptions& options) {
  Field& f = cb.fields[idx];
  f.offset = offset;
  if (f.is_group()) {
    std::size_t end = offset;
    for (int c : f.children) {
      Field& ch = cb.fields[c];
      std::size_t start;
      if (ch.redefines_field >= 0) {
        start = cb.fields[ch.redefines_field].offset;
      } else {
        start = end;
        if (ch.synchronized && !ch.is_group()) {
          std::size_t unit =
              detail::storage_length(ch.picture, ch.usage, ch.sign, options.binary_size_1_2_4_8);
          if (ch.usage != Usage::kDisplay && ch.usage != Usage::kPacked &&
              (unit == 2 || unit == 4 || unit == 8)) {
            std::size_t rel = start - root_offset;
            start += (unit - rel % unit) % unit;
          }
        }
      }
      layout(cb, c, start, root_offset, options);
      end = std::max(end, start + cb.fields[c].length);
    }
    f.element_length = end - offset;
  } else {
    f.element_length =
        detail::storage_length(f.picture, f.usage, f.sign, options.binary_size_1_2_4_8);
  }
  // Records beyond 1 GiB are not real copybooks (and would overflow size arithmetic later).
  constexpr std::size_t kMaxRecord = std::size_t{1} << 30;
  if (f.element_length > kMaxRecord ||
      f.element_length * static_cast<std::size_t>(f.occurs_max) > kMaxRecord)
    throw CopybookError(f.line, f.column, "'" + f.name + "' makes the record larger than 1 GiB");
  f.length = f.element_length * static_cast<std::size_t>(f.occurs_max);
}

void assign_paths(Copybook& cb, int idx, const std::string& prefix) {
  Field& f = cb.fields[idx];
  f.path = prefix.empty() ? f.name : prefix + "." + f.name;
  for (int c : f.children) assign_paths(cb, c, f.path);
}

}  // namespace

Copybook parse_copybook(std::string_view text, const ParseOptions& options) {
  auto lines = split_lines(text, options.format);
  auto tokens = tokenize(lines);
  for (const Token& t : tokens)
    if (t.kind == TokenKind::kLiteral && t.open)
      throw CopybookError(t.line, t.column, "literal is not closed");
  EntryParser ep(tokens);
  std::vector<RawEntry> entries = ep.parse();
  if (entries.empty()) throw CopybookError(1, 1, "the copybook has no data description entries");

  Copybook cb;
  std::vector<RawEntry*> raw_of;  // parallel to cb.fields
  std::vector<int> stack;         // open items (indices), innermost last
  int current_root = -1;
  for (RawEntry& e : entries) {
    if (e.is_condition) {
      if (cb.fields.empty())
        throw CopybookError(e.field.line, e.field.column, "an 88 level must follow a data item");
      cb.fields.back().conditions.push_back(std::move(e.condition));
      continue;
    }
    int idx = static_cast<int>(cb.fields.size());
    Field f = std::move(e.field);
    if (f.level == 66) {
      if (current_root < 0)
        throw CopybookError(f.line, f.column, "a 66 level must follow a record");
      f.parent = current_root;  // not listed among the children: a view, not storage
      cb.fields.push_back(std::move(f));
      raw_of.push_back(&e);
      continue;
    }
    if (f.level == 1 || f.level == 77) stack.clear();
    while (!stack.empty() && cb.fields[stack.back()].level >= f.level) stack.pop_back();
    if (stack.empty()) {
      f.parent = -1;
      cb.roots.push_back(idx);
      current_root = idx;
    } else {
      f.parent = stack.back();
      Field& parent = cb.fields[f.parent];
      if (!raw_of[f.parent]->picture_text.empty() || parent.level == 77)
        throw CopybookError(f.line, f.column,
                            "'" + parent.name +
                                "' has a PICTURE (or is level 77) and cannot contain '" + f.name +
                                "'");
      parent.children.push_back(idx);
    }
    cb.fields.push_back(std::move(f));
    raw_of.push_back(&e);
    stack.push_back(idx);
  }

  // Inherit USAGE and SIGN from groups, analyse pictures, validate elementary items.
  for (std::size_t i = 0; i < cb.fields.size(); ++i) {
    Field& f = cb.fields[i];
    RawEntry& e = *raw_of[i];
    if (f.level == 66) continue;
    if (f.parent >= 0) {
      const Field& p = cb.fields[f.parent];
      if (!e.usage_explicit && raw_of[f.parent]->usage_explicit) {
        f.usage = p.usage;
        e.usage_explicit = true;
      }
      if (!e.sign_explicit && raw_of[f.parent]->sign_explicit) {
        f.sign = p.sign;
        e.sign_explicit = true;
      }
    }
    if (!f.children.empty()) {
      f.picture.category = Category::kGroup;
      continue;
    }
    if (!e.picture_text.empty()) {
      std::size_t col = 0;
      std::string err =
          detail::analyze_picture(e.picture_text, options.decimal_point_is_comma, f.picture, col);
      if (!err.empty())
        throw CopybookError(e.picture_line, e.picture_column + static_cast<int>(col),
                            "PICTURE '" + e.picture_text + "': " + err);
      f.has_picture = true;
      if (f.usage == Usage::kFloat32 || f.usage == Usage::kFloat64)
        throw CopybookError(f.line, f.column,
                            "COMP-1/COMP-2 item '" + f.name + "' cannot have a PICTURE");
      if (f.usage == Usage::kIndex || f.usage == Usage::kPointer)
        throw CopybookError(f.line, f.column,
                            "INDEX/POINTER item '" + f.name + "' cannot have a PICTURE");
      if (f.picture.category != Category::kNumeric && f.usage != Usage::kDisplay)
        throw CopybookError(
            e.picture_line, e.picture_column,
            "USAGE " + std::string(to_string(f.usage)) + " needs a numeric PICTURE");
      if (f.picture.category == Category::kNumeric && f.picture.explicit_point &&
          f.usage != Usage::kDisplay)
        throw CopybookError(e.picture_line, e.picture_column,
                            "a PICTURE with '.' must be USAGE DISPLAY");
      if (f.picture.category == Category::kNumeric) {
        if (e.sign_explicit) {
          f.picture.is_signed = true;  // SIGN clause implies a sign (as Cobrix reads it)
          if (f.usage != Usage::kDisplay)
            throw CopybookError(f.line, f.column, "SIGN clause is only valid for USAGE DISPLAY");
        } else if (f.picture.is_signed) {
          f.sign = SignPosition::kTrailing;
        }
      } else {
        f.sign = SignPosition::kNone;
      }
    } else if (f.usage == Usage::kFloat32 || f.usage == Usage::kFloat64) {
      f.picture.category = Category::kFloat;
      f.picture.is_signed = true;
    } else if (f.usage == Usage::kIndex || f.usage == Usage::kPointer) {
      f.picture.category = Category::kNumeric;
      f.picture.digits = 9;
    } else if (!f.renames_from.empty()) {
    } else {
      throw CopybookError(
          f.line, f.column,
          "elementary item '" + f.name + "' has no PICTURE (and is not COMP-1/COMP-2)");
    }
  }

  // Resolve REDEFINES, DEPENDING ON, RENAMES.
  for (std::size_t i = 0; i < cb.fields.size(); ++i) {
    Field& f = cb.fields[i];
    if (!f.redefines.empty()) {
      // The redefined item is an earlier sibling (same parent) with the same level.
      int target = -1;
      std::vector<int> siblings = f.parent >= 0 ? cb.fields[f.parent].children : cb.roots;
      for (int s : siblings) {
        if (s >= static_cast<int>(i)) break;
        if (cb.fields[s].name == f.redefines && s != static_cast<int>(i)) target = s;
      }
      if (target < 0)
        throw CopybookError(
            f.line, f.column,
            "REDEFINES '" + f.redefines + "' does not name an earlier item at the same level");
      while (cb.fields[target].redefines_field >= 0) target = cb.fields[target].redefines_field;
      f.redefines_field = target;
      if (f.parent < 0) f.redefines_field = -1;  // 01 REDEFINES: another view of the record area
    }
    if (!f.depending_on.empty()) {
      f.depending_field = resolve(cb, f.depending_on, static_cast<int>(i), f, "DEPENDING ON item");
      const Field& d = cb.fields[f.depending_field];
      if (d.is_group() || d.picture.category != Category::kNumeric || d.occurs)
        throw CopybookError(f.line, f.column,
                            "DEPENDING ON item '" + d.name +
                                "' must be a numeric elementary item outside any table");
      if (f.depending_field >= static_cast<int>(i))
        throw CopybookError(f.line, f.column,
                            "DEPENDING ON item '" + d.name + "' must come before the table");
      // The counter may not sit inside an OCCURS (its position would be ambiguous).
      for (int p = d.parent; p >= 0; p = cb.fields[p].parent)
        if (cb.fields[p].occurs)
          throw CopybookError(f.line, f.column,
                              "DEPENDING ON item '" + d.name + "' is inside a table");
    }
    if (f.level == 66) {
      f.renames_from_field = resolve(cb, f.renames_from, static_cast<int>(i), f, "RENAMES item");
      f.renames_thru_field =
          f.renames_thru.empty()
              ? f.renames_from_field
              : resolve(cb, f.renames_thru, static_cast<int>(i), f, "RENAMES THRU item");
    }
  }
  if (cb.roots.empty()) throw CopybookError(1, 1, "the copybook has no records");

  for (int r : cb.roots) {
    layout(cb, r, 0, 0, options);
    assign_paths(cb, r, "");
  }
  for (Field& f : cb.fields) {
    if (f.level != 66) continue;
    const Field& a = cb.fields[f.renames_from_field];
    const Field& b = cb.fields[f.renames_thru_field];
    if (b.offset + b.length < a.offset)
      throw CopybookError(f.line, f.column, "RENAMES THRU item precedes the first item");
    f.offset = a.offset;
    f.element_length = f.length = b.offset + b.length - a.offset;
    f.picture.category = Category::kAlphanumeric;
    f.picture.display_length = static_cast<int>(f.length);
    f.path = cb.fields[f.parent].path + "." + f.name;
  }
  return cb;
}

}  // namespace coregate::codecs::copybook
