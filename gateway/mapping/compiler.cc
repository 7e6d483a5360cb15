// Parses a mapping document strictly (unknown keys are errors, with a suggestion) into a Plan,
// then runs the schema and layout checks. Every problem is collected; one MappingLoadError
// reports them all so an engineer fixes a file in one pass.
#include "gateway/mapping/compiler.h"

#include "gateway/mapping/json_kind.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace coregate::mapping::detail {
namespace {

namespace json = boost::json;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string escape_pointer_token(std::string_view key) {
  std::string out;
  for (char ch : key) {
    if (ch == '~') {
      out += "~0";
    } else if (ch == '/') {
      out += "~1";
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// Reads the members of one object of the mapping file, remembering where each lives.
class Reader {
 public:
  Reader(ProblemList& problems, int step, std::string label)
      : problems_(problems), step_(step), label_(std::move(label)) {}

  void problem(const std::string& pointer, std::string message) {
    problems_.add(step_, label_, pointer, std::move(message));
  }

  // The object at `pointer`, or nullptr (with a problem) when `value` is not an object. Unknown
  // keys are reported with the closest allowed name.
  const json::object* object(const json::value& value, const std::string& pointer,
                             std::initializer_list<std::string_view> allowed) {
    const json::object* object = value.if_object();
    if (!object) {
      problem(pointer, "must be an object, not " + std::string(json_kind_name(value)));
      return nullptr;
    }
    for (const auto& member : *object) {
      std::string_view key = member.key();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string message = "unknown key '" + std::string(key) + "'";
      std::string_view best;
      std::size_t best_distance = 3;
      for (std::string_view candidate : allowed) {
        std::size_t d = edit_distance(key, candidate);
        if (d < best_distance) {
          best_distance = d;
          best = candidate;
        }
      }
      if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
      problem(pointer + "/" + escape_pointer_token(key), message);
    }
    return object;
  }

  std::optional<std::string> string(const json::object& object, std::string_view key,
                                    const std::string& pointer, bool required = false) {
    const json::value* v = object.if_contains(key);
    if (!v) {
      if (required) problem(pointer, "missing required key '" + std::string(key) + "'");
      return std::nullopt;
    }
    if (!v->is_string()) {
      problem(pointer + "/" + std::string(key),
              "must be a string, not " + std::string(json_kind_name(*v)));
      return std::nullopt;
    }
    return std::string(v->get_string());
  }

  std::optional<bool> boolean(const json::object& object, std::string_view key,
                              const std::string& pointer) {
    const json::value* v = object.if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
      problem(pointer + "/" + std::string(key),
              "must be true or false, not " + std::string(json_kind_name(*v)));
      return std::nullopt;
    }
    return v->get_bool();
  }

  std::optional<int> integer(const json::object& object, std::string_view key,
                             const std::string& pointer, long min, long max) {
    const json::value* v = object.if_contains(key);
    if (!v) return std::nullopt;
    long n = 0;
    if (v->is_int64()) {
      n = v->get_int64();
    } else if (v->is_uint64() && v->get_uint64() < 1'000'000'000) {
      n = static_cast<long>(v->get_uint64());
    } else {
      problem(pointer + "/" + std::string(key),
              "must be an integer, not " + std::string(json_kind_name(*v)));
      return std::nullopt;
    }
    if (n < min || n > max) {
      problem(pointer + "/" + std::string(key), "must be between " + std::to_string(min) + " and " +
                                                    std::to_string(max) + ", not " +
                                                    std::to_string(n));
      return std::nullopt;
    }
    return static_cast<int>(n);
  }

  template <typename Enum>
  std::optional<Enum> choice(const json::object& object, std::string_view key,
                             const std::string& pointer,
                             std::initializer_list<std::pair<std::string_view, Enum>> names) {
    auto text = string(object, key, pointer);
    if (!text) return std::nullopt;
    for (const auto& [name, value] : names) {
      if (name == *text) return value;
    }
    std::string list;
    for (const auto& entry : names) list += (list.empty() ? "" : ", ") + std::string(entry.first);
    problem(pointer + "/" + std::string(key), "'" + *text + "' is not one of: " + list);
    return std::nullopt;
  }

 private:
  ProblemList& problems_;
  int step_;
  std::string label_;
};

std::optional<JsonPath> read_path(Reader& reader, const json::value& value,
                                  const std::string& pointer) {
  if (!value.is_string()) {
    reader.problem(pointer,
                   "must be a JSON pointer string, not " + std::string(json_kind_name(value)));
    return std::nullopt;
  }
  std::string error;
  auto path = JsonPath::parse(value.get_string(), &error);
  if (!path) reader.problem(pointer, error);
  return path;
}

// "canonical": "/a" or ["/a", "/b"].
std::vector<JsonPath> read_paths(Reader& reader, const json::value* value,
                                 const std::string& pointer) {
  std::vector<JsonPath> out;
  if (!value) return out;
  if (const auto* array = value->if_array()) {
    if (array->size() < 2) reader.problem(pointer, "a list of paths needs at least two entries");
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (auto p = read_path(reader, (*array)[i], pointer + "/" + std::to_string(i))) {
        out.push_back(std::move(*p));
      }
    }
    return out;
  }
  if (auto p = read_path(reader, *value, pointer)) out.push_back(std::move(*p));
  return out;
}

std::string make_label(const Step& step) {
  std::string label;
  auto list = [](const std::vector<JsonPath>& paths) {
    std::string text;
    for (const auto& p : paths) text += (text.empty() ? "" : ",") + p.text();
    return text;
  };
  if (!step.canonical.empty()) label = "canonical " + list(step.canonical);
  if (!step.system.empty()) {
    label += (label.empty() ? "" : " <-> ") + std::string("system ") + list(step.system);
  }
  return label;
}

std::optional<Charset> parse_charset(const std::string& name, std::string* code_page,
                                     std::string* error) {
  if (name == "utf-8" || name == "utf8") return Charset::utf8;
  if (name == "ascii") return Charset::ascii;
  if (name == "ebcdic") return Charset::ebcdic_invariant;
  if (code_page_supported(name)) {
    *code_page = name;
    return Charset::code_page;
  }
  *error = "unknown charset '" + name +
           "': use utf-8, ascii, ebcdic (the characters every EBCDIC code page shares)" +
           (code_page_supported("cp037") ? " or an EBCDIC code page such as cp037" : "");
  return std::nullopt;
}

class PlanCompiler {
 public:
  PlanCompiler(std::string source, const CompileOptions& options,
               const std::filesystem::path& base_directory)
      : problems_(source), source_(std::move(source)), options_(options), base_(base_directory) {}

  std::shared_ptr<const Plan> compile(const json::value& document) {
    auto plan = std::make_shared<Plan>();
    plan->source = source_;
    Reader top(problems_, -1, "");
    const json::object* root = top.object(
        document, "",
        {"$schema", "$comment", "name", "description", "version", "canonical", "system", "fields"});
    if (!root) throw MappingLoadError(std::move(problems_.problems()));
    if (auto name = top.string(*root, "name", "", true)) {
      if (name->empty()) top.problem("/name", "must not be empty");
      plan->name = *name;
    }
    if (const json::value* canonical = root->if_contains("canonical")) {
      if (const auto* c = top.object(*canonical, "/canonical", {"schema", "at", "description"})) {
        header_.canonical_schema = top.string(*c, "schema", "/canonical").value_or("");
        if (auto at = top.string(*c, "at", "/canonical")) {
          std::string error;
          if (!at->empty() && !JsonPath::parse(*at, &error)) top.problem("/canonical/at", error);
          header_.canonical_at = *at;
        }
      }
    }
    if (const json::value* system = root->if_contains("system")) {
      read_system(top, *system);
    }
    plan->canonical_schema = header_.canonical_schema;

    const json::value* fields = root->if_contains("fields");
    if (!fields || !fields->is_array() || fields->get_array().empty()) {
      top.problem("/fields", "must be a non-empty array of field rules");
    } else {
      const auto& array = fields->get_array();
      plan->steps.reserve(array.size());
      sources_.reserve(array.size());
      for (std::size_t i = 0; i < array.size(); ++i) {
        read_rule(static_cast<int>(i), array[i], *plan);
      }
    }
    check_outputs(plan->steps);
    if (problems_.empty()) {
      check_against_schema(header_, plan->steps, sources_, options_, problems_);
      check_against_layout(header_, plan->steps, sources_, problems_);
    }
    if (!problems_.empty()) throw MappingLoadError(std::move(problems_.problems()));

    std::uint32_t hints = 0;
    auto assign_hints = [&](JsonPath& path) {
      path.set_hint_offset(hints);
      hints += static_cast<std::uint32_t>(path.segments().size());
    };
    for (Step& step : plan->steps) {
      for (JsonPath& p : step.canonical) assign_hints(p);
      for (JsonPath& p : step.system) assign_hints(p);
      if (step.when) assign_hints(step.when->path);
    }
    plan->hint_count = hints;
    std::set<std::string> to_system_top, to_canonical_top;
    for (const Step& step : plan->steps) {
      if (step.to_system) {
        plan->to_system_steps.push_back(&step);
        for (const auto& p : step.system) to_system_top.insert(p.segments().front());
      }
      if (step.to_canonical) {
        plan->to_canonical_steps.push_back(&step);
        for (const auto& p : step.canonical) to_canonical_top.insert(p.segments().front());
      }
    }
    plan->to_system_top_level = to_system_top.size();
    plan->to_canonical_top_level = to_canonical_top.size();
    plan->to_system_template = output_template(plan->steps, true);
    plan->to_canonical_template = output_template(plan->steps, false);
    return plan;
  }

 private:
  void read_system(Reader& top, const json::value& system) {
    const auto* s = top.object(system, "/system", {"name", "description", "charset", "layout"});
    if (!s) return;
    if (auto charset = top.string(*s, "charset", "/system")) {
      std::string error;
      auto parsed = parse_charset(*charset, &default_code_page_, &error);
      if (!parsed) {
        top.problem("/system/charset", error);
      } else {
        default_charset_ = *parsed;
      }
    }
    const json::value* layout = s->if_contains("layout");
    if (!layout) return;
    const auto* l = top.object(*layout, "/system/layout", {"copybook", "code_page"});
    if (!l) return;
    if (auto copybook = top.string(*l, "copybook", "/system/layout", true)) {
      std::filesystem::path path(*copybook);
      if (path.is_relative()) {
        path = (options_.layout_directory.empty() ? base_ : options_.layout_directory) / path;
      }
      header_.layout_copybook = path.string();
    }
    if (auto code_page = top.string(*l, "code_page", "/system/layout")) {
      if (!code_page_supported(*code_page)) {
        top.problem("/system/layout/code_page",
                    "unknown or unsupported code page '" + *code_page + "'");
      } else {
        header_.layout_code_page = *code_page;
        if (default_charset_ == Charset::utf8) {
          default_charset_ = Charset::code_page;
          default_code_page_ = *code_page;
        }
      }
    }
  }

  void read_rule(int index, const json::value& value, Plan& plan) {
    const std::string at = "/fields/" + std::to_string(index);
    Step step;
    step.index = index;
    RuleSource source;
    source.pointer = at;

    // Paths first, so every later problem carries the rule's label.
    const json::object* raw = value.if_object();
    {
      Reader early(problems_, index, "");
      if (!raw) {
        early.problem(at,
                      "a field rule must be an object, not " + std::string(json_kind_name(value)));
        return;
      }
      step.canonical = read_paths(early, raw->if_contains("canonical"), at + "/canonical");
      step.system = read_paths(early, raw->if_contains("system"), at + "/system");
    }
    source.label = make_label(step);
    step.target_label = source.label;
    Reader r(problems_, index, source.label);
    const json::object* rule =
        r.object(value, at,
                 {"canonical", "system", "direction", "when", "optional", "default", "absent_as",
                  "text", "charset", "description", "$comment", "cast", "decimal", "date", "codes",
                  "concat", "split", "constant"});
    if (!rule) return;

    static constexpr std::string_view kOperations[] = {"cast",   "decimal", "date",    "codes",
                                                       "concat", "split",   "constant"};
    std::string_view operation;
    for (std::string_view op : kOperations) {
      if (!rule->contains(op)) continue;
      if (!operation.empty()) {
        r.problem(at, "a rule has one operation; found both '" + std::string(operation) +
                          "' and '" + std::string(op) + "' (use two rules)");
      } else {
        operation = op;
      }
    }

    if (auto direction = r.choice<int>(*rule, "direction", at,
                                       {{"both", 0}, {"to_system", 1}, {"to_canonical", 2}})) {
      step.to_system = *direction != 2;
      step.to_canonical = *direction != 1;
    }
    const bool many_canonical = step.canonical.size() > 1;
    const bool many_system = step.system.size() > 1;

    if (operation == "constant") {
      step.operation = Operation::constant;
      step.constant = rule->at("constant");
      if (step.canonical.empty() == step.system.empty()) {
        r.problem(at,
                  "a constant names exactly one side: \"system\" (written when mapping "
                  "to_system) or \"canonical\" (written when mapping to_canonical)");
      }
      step.constant_side = step.system.empty() ? Side::canonical : Side::system;
      if (rule->contains("direction") &&
          (step.constant_side == Side::system ? !step.to_system : !step.to_canonical)) {
        r.problem(at + "/direction", "contradicts the side the constant is written to");
      }
      step.to_system = step.constant_side == Side::system;
      step.to_canonical = !step.to_system;
      if (many_canonical || many_system) r.problem(at, "a constant is written to one path");
    } else {
      if (!rule->contains("canonical")) r.problem(at, "missing required key 'canonical'");
      if (!rule->contains("system")) r.problem(at, "missing required key 'system'");
    }

    if (operation == "concat") {
      step.operation = Operation::join;
      if (!many_canonical || many_system) {
        r.problem(at, "concat joins several canonical paths (a list) into one system path");
      }
      read_join(r, rule->at("concat"), at + "/concat", step, step.canonical.size());
    } else if (operation == "split") {
      step.operation = Operation::join;
      if (!many_system || many_canonical) {
        r.problem(at, "split cuts one canonical path into several system paths (a list)");
      }
      read_join(r, rule->at("split"), at + "/split", step, step.system.size());
    } else if (many_canonical || many_system) {
      r.problem(at, "only concat and split take a list of paths");
    }

    if (operation == "cast") read_cast(r, rule->at("cast"), at + "/cast", step);
    if (operation == "decimal") read_decimal(r, rule->at("decimal"), at + "/decimal", step, source);
    if (operation == "date") read_date(r, rule->at("date"), at + "/date", step);
    if (operation == "codes") read_codes(r, rule->at("codes"), at + "/codes", step);

    if (auto optional = r.boolean(*rule, "optional", at)) step.optional = *optional;
    if (const json::value* def = rule->if_contains("default")) {
      if (const auto* d = r.object(*def, at + "/default", {"system", "canonical"})) {
        if (const auto* v = d->if_contains("system")) step.default_system = *v;
        if (const auto* v = d->if_contains("canonical")) step.default_canonical = *v;
      }
    }
    if (auto absent = r.string(*rule, "absent_as", at)) step.absent_as = *absent;

    step.charset = default_charset_;
    step.code_page = default_code_page_;
    if (auto charset = r.string(*rule, "charset", at)) {
      std::string error;
      auto parsed = parse_charset(*charset, &step.code_page, &error);
      if (!parsed) {
        r.problem(at + "/charset", error);
      } else {
        step.charset = *parsed;
      }
    }
    if (const json::value* text = rule->if_contains("text"))
      read_text(r, *text, at + "/text", step);
    if (const json::value* when = rule->if_contains("when"))
      read_when(r, *when, at + "/when", step);

    check_plan_text(r, at, step);
    sources_.push_back(std::move(source));
    plan.steps.push_back(std::move(step));
  }

  // Text the plan itself writes to the system (constants, defaults, code-table values, the pad
  // character) is checked against the rule's charset here, once, instead of on every record.
  void check_plan_text(Reader& r, const std::string& at, const Step& step) {
    if (!step.to_system || step.charset == Charset::utf8) return;
    auto check = [&](std::string_view text, const std::string& where) {
      std::string message;
      if (step.charset == Charset::code_page) {
        message = code_page_problem(text, step.code_page);
      } else if (auto bad = find_unrepresentable(text, step.charset)) {
        message = describe_code_point(bad->code_point) + " at character " +
                  std::to_string(bad->position + 1) + " is not in charset " +
                  (step.charset == Charset::ascii ? "ascii" : "ebcdic");
      }
      if (!message.empty()) r.problem(where, message);
    };
    auto check_value = [&](const json::value& v, const std::string& where) {
      if (v.is_string()) check(v.get_string(), where);
    };
    if (step.operation == Operation::constant && step.constant_side == Side::system) {
      check_value(step.constant, at + "/constant");
    }
    if (step.default_system) check_value(*step.default_system, at + "/default/system");
    if (step.absent_as) check(*step.absent_as, at + "/absent_as");
    if (step.operation == Operation::codes) {
      for (std::size_t i = 0; i < step.codes.system_codes.size(); ++i) {
        check_value(step.codes.system_codes[i],
                    at + "/codes/table/" +
                        escape_pointer_token(step.codes.canonical_codes[i].get_string()));
      }
      if (step.codes.default_system) {
        check_value(*step.codes.default_system, at + "/codes/default_system");
      }
    }
    if (step.text) check(std::string_view(&step.text->pad, 1), at + "/text/pad");
  }

  void read_join(Reader& r, const json::value& value, const std::string& at, Step& step,
                 std::size_t parts) {
    const auto* o = r.object(value, at, {"separator", "widths"});
    if (!o) return;
    auto separator = r.string(*o, "separator", at);
    const json::value* widths = o->if_contains("widths");
    if (separator.has_value() == (widths != nullptr)) {
      r.problem(at, "give either \"separator\" or \"widths\"");
      return;
    }
    if (separator) {
      if (separator->empty()) r.problem(at + "/separator", "must not be empty");
      step.join.separator = *separator;
      return;
    }
    if (!widths->is_array() || widths->get_array().size() != parts) {
      r.problem(at + "/widths",
                "must be a list of " + std::to_string(parts) + " widths, one per path");
      return;
    }
    for (std::size_t i = 0; i < parts; ++i) {
      const json::value& w = widths->get_array()[i];
      if (!w.is_int64() || w.get_int64() < 1 || w.get_int64() > 32767) {
        r.problem(at + "/widths/" + std::to_string(i), "must be an integer 1..32767");
        return;
      }
      step.join.widths.push_back(static_cast<int>(w.get_int64()));
    }
  }

  void read_cast(Reader& r, const json::value& value, const std::string& at, Step& step) {
    const auto* o = r.object(value, at, {"canonical", "system"});
    if (!o) return;
    step.operation = Operation::cast;
    auto types = {std::pair<std::string_view, ScalarType>{"string", ScalarType::string},
                  {"integer", ScalarType::integer},
                  {"boolean", ScalarType::boolean}};
    if (!o->contains("canonical") || !o->contains("system")) {
      r.problem(at, "a cast names both types: {\"canonical\": ..., \"system\": ...}");
    }
    if (auto t = r.choice<ScalarType>(*o, "canonical", at, types)) step.cast_canonical = *t;
    if (auto t = r.choice<ScalarType>(*o, "system", at, types)) step.cast_system = *t;
  }

  void read_decimal(Reader& r, const json::value& value, const std::string& at, Step& step,
                    RuleSource& source) {
    const auto* o = r.object(
        value, at,
        {"precision", "scale", "canonical_scale", "signed", "rounding", "canonical", "system"});
    if (!o) return;
    step.operation = Operation::decimal;
    DecimalRule& d = step.decimal;
    if (auto p = r.integer(*o, "precision", at, 1, 38)) {
      d.precision = *p;
      source.decimal_precision_given = true;
    }
    if (auto s = r.integer(*o, "scale", at, 0, 38)) {
      d.scale = *s;
      source.decimal_scale_given = true;
    }
    if (auto s = r.integer(*o, "canonical_scale", at, 0, 38)) d.canonical_scale = *s;
    if (auto s = r.boolean(*o, "signed", at)) {
      d.is_signed = *s;
      source.decimal_signed_given = true;
    }
    if (auto rounding = r.string(*o, "rounding", at)) {
      if (auto parsed = dec::rounding_from_name(*rounding)) {
        d.rounding = *parsed;
      } else {
        r.problem(at + "/rounding", "unknown rounding mode '" + *rounding +
                                        "': use half_even, half_up, half_down, down, up, floor, "
                                        "ceiling or unnecessary");
      }
    }
    auto forms = {std::pair<std::string_view, DecimalForm>{"string", DecimalForm::string},
                  {"integer", DecimalForm::integer},
                  {"minor_units", DecimalForm::minor_units}};
    if (auto f = r.choice<DecimalForm>(*o, "canonical", at, forms)) d.canonical_form = *f;
    if (auto f = r.choice<DecimalForm>(*o, "system", at, forms)) d.system_form = *f;
    if (d.scale > d.precision) {
      r.problem(at + "/scale", "scale " + std::to_string(d.scale) + " exceeds precision " +
                                   std::to_string(d.precision));
    }
    if (d.system_form == DecimalForm::integer && d.scale != 0) {
      r.problem(at + "/system",
                "an integer system value has scale 0; use \"minor_units\" for "
                "implied decimals");
    }
    if (d.canonical_form == DecimalForm::integer && d.canonical_scale > 0) {
      r.problem(at + "/canonical_scale", "an integer canonical value has scale 0");
    }
    if (d.canonical_scale < 0 && d.canonical_form == DecimalForm::integer) d.canonical_scale = 0;
  }

  void read_date(Reader& r, const json::value& value, const std::string& at, Step& step) {
    const auto* o = r.object(value, at, {"canonical", "system", "pivot_year", "system_as"});
    if (!o) return;
    step.operation = Operation::date;
    auto format = [&](std::string_view key, DateFormat fallback, bool required) {
      auto name = r.string(*o, key, at, required);
      if (!name) return fallback;
      if (auto f = date_format_from_name(*name)) return *f;
      r.problem(at + "/" + std::string(key),
                "unknown date format '" + *name +
                    "': use iso_date, ccyymmdd, yymmdd, ddmmccyy, mmddccyy, ccyyddd, yyddd, "
                    "iso_datetime or ccyymmddhhmmss");
      return fallback;
    };
    step.date.canonical = format("canonical", DateFormat::iso_date, false);
    step.date.system = format("system", DateFormat::ccyymmdd, true);
    if (is_datetime(step.date.canonical) != is_datetime(step.date.system)) {
      r.problem(at, "cannot convert between a date (" +
                        std::string(date_format_name(step.date.canonical)) + ") and a date-time (" +
                        std::string(date_format_name(step.date.system)) +
                        ") format: the conversion would not be reversible");
    }
    auto pivot = r.integer(*o, "pivot_year", at, 1000, 9899);
    if (pivot) step.date.pivot_year = *pivot;
    if ((needs_pivot(step.date.canonical) || needs_pivot(step.date.system)) && !pivot) {
      r.problem(at,
                "a two-digit-year format needs \"pivot_year\" (the first year of its "
                "100-year window, e.g. 1950)");
    }
    if (auto as = r.choice<bool>(*o, "system_as", at, {{"string", false}, {"integer", true}})) {
      step.date.system_as_integer = *as;
      if (*as && digit_width(step.date.system) == 0) {
        r.problem(at + "/system_as", "only an all-digit format can be written as an integer");
      }
    }
  }

  void read_codes(Reader& r, const json::value& value, const std::string& at, Step& step) {
    const auto* o = r.object(value, at, {"table", "default_system", "default_canonical"});
    if (!o) return;
    step.operation = Operation::codes;
    const json::value* table = o->if_contains("table");
    if (!table || !table->is_object() || table->get_object().empty()) {
      r.problem(at + "/table", "must be a non-empty object: canonical code → system code");
      return;
    }
    for (const auto& member : table->get_object()) {
      const json::value& system_code = member.value();
      const std::string where = at + "/table/" + escape_pointer_token(member.key());
      if (!system_code.is_string() && !system_code.is_int64() && !system_code.is_uint64()) {
        r.problem(where, "a system code is a string or an integer, not " +
                             std::string(json_kind_name(system_code)));
        continue;
      }
      for (std::size_t i = 0; i < step.codes.system_codes.size(); ++i) {
        if (step.codes.system_codes[i] == system_code && step.to_canonical) {
          r.problem(where, "system code " + json::serialize(system_code) + " is used for both '" +
                               std::string(step.codes.canonical_codes[i].get_string()) + "' and '" +
                               std::string(member.key()) +
                               "': mapping to_canonical needs one canonical code per system code "
                               "(or set \"direction\": \"to_system\")");
        }
      }
      step.codes.canonical_codes.emplace_back(member.key());
      step.codes.system_codes.push_back(system_code);
    }
    if (const auto* v = o->if_contains("default_system")) step.codes.default_system = *v;
    if (const auto* v = o->if_contains("default_canonical")) step.codes.default_canonical = *v;
  }

  void read_text(Reader& r, const json::value& value, const std::string& at, Step& step) {
    const auto* o = r.object(value, at, {"width", "align", "pad", "truncate", "trim"});
    if (!o) return;
    if (step.system.size() != 1) {
      r.problem(at, "fixed-width text applies to a rule with one system path");
      return;
    }
    TextLayout layout;
    if (auto width = r.integer(*o, "width", at, 1, 32767)) {
      layout.width = *width;
    } else if (!o->contains("width")) {
      r.problem(at, "missing required key 'width'");
    }
    if (auto align = r.choice<bool>(*o, "align", at, {{"left", false}, {"right", true}})) {
      layout.align_right = *align;
    }
    if (auto pad = r.string(*o, "pad", at)) {
      if (pad->size() != 1 || static_cast<unsigned char>((*pad)[0]) < 0x20 ||
          static_cast<unsigned char>((*pad)[0]) > 0x7E) {
        r.problem(at + "/pad", "must be one printable ASCII character");
      } else {
        layout.pad = (*pad)[0];
      }
    }
    if (auto truncate = r.boolean(*o, "truncate", at)) layout.truncate = *truncate;
    if (auto trim = r.boolean(*o, "trim", at)) layout.trim = *trim;
    step.text = layout;
  }

  void read_when(Reader& r, const json::value& value, const std::string& at, Step& step) {
    const auto* o = r.object(
        value, at, {"canonical", "system", "equals", "not_equals", "exists", "in", "not_in"});
    if (!o) return;
    Condition condition;
    const json::value* canonical = o->if_contains("canonical");
    const json::value* system = o->if_contains("system");
    if ((canonical != nullptr) == (system != nullptr)) {
      r.problem(at, "a condition tests one path: give \"canonical\" or \"system\"");
      return;
    }
    condition.side = canonical ? Side::canonical : Side::system;
    auto path =
        read_path(r, canonical ? *canonical : *system, at + (canonical ? "/canonical" : "/system"));
    if (!path) return;
    condition.path = std::move(*path);
    int tests = 0;
    if (const auto* v = o->if_contains("equals")) {
      condition.kind = ConditionKind::equals;
      condition.values.push_back(*v);
      ++tests;
    }
    if (const auto* v = o->if_contains("not_equals")) {
      condition.kind = ConditionKind::not_equals;
      condition.values.push_back(*v);
      ++tests;
    }
    if (auto exists = r.boolean(*o, "exists", at)) {
      condition.kind = *exists ? ConditionKind::exists : ConditionKind::absent;
      ++tests;
    }
    for (auto [key, kind] : {std::pair<std::string_view, ConditionKind>{"in", ConditionKind::in},
                             {"not_in", ConditionKind::not_in}}) {
      const auto* v = o->if_contains(key);
      if (!v) continue;
      ++tests;
      condition.kind = kind;
      if (!v->is_array() || v->get_array().empty()) {
        r.problem(at + "/" + std::string(key), "must be a non-empty list of values");
      } else {
        condition.values.assign(v->get_array().begin(), v->get_array().end());
      }
    }
    if (tests != 1) {
      r.problem(at, "a condition has exactly one test: equals, not_equals, exists, in or not_in");
    }
    // The condition reads the INPUT record, which is the canonical one only when mapping
    // to_system; a bidirectional rule would test a record that does not exist yet.
    if (condition.side == Side::canonical && step.to_canonical) {
      r.problem(at,
                "a condition on the canonical record is only known when mapping to_system; "
                "add \"direction\": \"to_system\" (and a second rule for to_canonical)");
    }
    if (condition.side == Side::system && step.to_system) {
      r.problem(at,
                "a condition on the system record is only known when mapping to_canonical; "
                "add \"direction\": \"to_canonical\" (and a second rule for to_system)");
    }
    step.when = std::move(condition);
  }

  // Lays out the output record of one direction (plan.h OutputTemplate) and numbers the output
  // paths by slot.
  static OutputTemplate output_template(std::vector<Step>& steps, bool to_system) {
    OutputTemplate layout;
    layout.usable = true;
    json::value built(json::object_kind);
    for (Step& step : steps) {
      if (to_system ? !step.to_system : !step.to_canonical) continue;
      for (JsonPath& path : to_system ? step.system : step.canonical) {
        if (path.find(built) != nullptr) {
          return OutputTemplate{};  // alternatives share this output: build by key
        }
        if (!path.assign(built.get_object(), nullptr)) return OutputTemplate{};
        path.set_output_slot(static_cast<std::uint32_t>(layout.paths.size()));
        layout.paths.push_back(&path);
        if (path.segments().size() > 1) layout.flat = false;
      }
    }
    layout.record = std::move(built.get_object());
    for (const JsonPath* path : layout.paths) {
      std::vector<std::uint32_t> position;
      const json::object* object = &layout.record;
      for (const std::string& key : path->segments()) {
        auto it = object->find(key);
        position.push_back(static_cast<std::uint32_t>(it - object->begin()));
        if (it->value().is_object()) object = &it->value().get_object();
      }
      layout.positions.push_back(std::move(position));
    }
    return layout;
  }

  // Two unconditional rules may not write the same output, and no output may sit inside
  // another (a scalar at /a and a member at /a/b).
  void check_outputs(const std::vector<Step>& steps) {
    for (int direction = 0; direction < 2; ++direction) {
      const bool to_system = direction == 0;
      std::vector<std::pair<const JsonPath*, const Step*>> outputs;
      for (const Step& step : steps) {
        if (to_system ? !step.to_system : !step.to_canonical) continue;
        for (const JsonPath& p : to_system ? step.system : step.canonical) {
          outputs.emplace_back(&p, &step);
        }
      }
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          const auto& [a, step_a] = outputs[j];
          const auto& [b, step_b] = outputs[i];
          if (step_a == step_b) continue;
          const bool same = a->text() == b->text();
          if (same && step_a->when && step_b->when) continue;  // conditional alternatives
          if (same || a->is_prefix_of(*b) || b->is_prefix_of(*a)) {
            problems_.add(
                step_b->index, step_b->target_label, "/fields/" + std::to_string(step_b->index),
                std::string(same ? "writes " : "overlaps ") +
                    (to_system ? "system " : "canonical ") + b->text() +
                    (same ? ", already written by step " : " written by step ") +
                    std::to_string(step_a->index) + " (mapping " +
                    (to_system ? "to_system" : "to_canonical") +
                    (same ? "); give both rules a \"when\" to make them alternatives" : ")"));
          }
        }
      }
    }
  }

  ProblemList problems_;
  std::string source_;
  const CompileOptions& options_;
  std::filesystem::path base_;
  MappingHeader header_;
  std::vector<RuleSource> sources_;
  Charset default_charset_ = Charset::utf8;
  std::string default_code_page_;
};

}  // namespace

std::shared_ptr<const Plan> compile_plan(const json::value& document, std::string source,
                                         const CompileOptions& options,
                                         const std::filesystem::path& base_directory) {
  PlanCompiler compiler(std::move(source), options, base_directory);
  return compiler.compile(document);
}

}  // namespace coregate::mapping::detail
