// Load-time type check of canonical paths against the canonical JSON Schema: a path the schema
// does not describe, or an operation that does not fit the schema's type (a decimal operation on
// a date), fails `coregate check` instead of a writeback at 2 a.m.
#include "gateway/mapping/compiler.h"

#ifdef COREGATE_MAPPING_WITH_SCHEMA
#include "gateway/schema/schema_registry.h"
#endif

#include <boost/json/serialize.hpp>

namespace coregate::mapping::detail {

#ifndef COREGATE_MAPPING_WITH_SCHEMA

void check_against_schema(const MappingHeader& header, std::vector<Step>&,
                          const std::vector<RuleSource>&, const CompileOptions& options,
                          ProblemList& problems) {
  if (header.canonical_schema.empty() || options.allow_unchecked_schema) return;
  problems.add(-1, "", "/canonical/schema",
               "this build has no JSON Schema support to type-check against '" +
                   header.canonical_schema + "'");
}

#else

namespace {

namespace json = boost::json;

// What the schema says about one location.
struct Facts {
  std::vector<std::string> types;  // empty = the schema does not constrain the type
  std::string format;
  const json::array* enumeration = nullptr;

  bool allows(std::string_view type) const {
    if (types.empty()) return true;
    for (const auto& t : types) {
      if (t == type || (type == "integer" && t == "number")) return true;
    }
    return false;
  }
  std::string describe() const {
    std::string text;
    for (const auto& t : types) text += (text.empty() ? "" : " or ") + t;
    if (!format.empty()) text += " (format " + format + ")";
    return text.empty() ? "unconstrained" : text;
  }
};

Facts facts_of(const json::value& schema) {
  Facts facts;
  const json::object* o = schema.if_object();
  if (!o) return facts;
  if (const auto* type = o->if_contains("type")) {
    if (type->is_string()) facts.types.emplace_back(type->get_string());
    if (type->is_array()) {
      for (const auto& t : type->get_array()) {
        if (t.is_string() && t.get_string() != "null") facts.types.emplace_back(t.get_string());
      }
    }
  }
  if (const auto* format = o->if_contains("format"); format && format->is_string()) {
    facts.format = std::string(format->get_string());
  }
  if (const auto* e = o->if_contains("enum"); e && e->is_array())
    facts.enumeration = &e->get_array();
  // A bare "const" or "enum" still tells the type.
  if (facts.types.empty() && facts.enumeration) {
    bool all_strings = true;
    for (const auto& v : *facts.enumeration) all_strings = all_strings && v.is_string();
    if (all_strings) facts.types.push_back("string");
  }
  return facts;
}

std::string_view json_type(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "?";
}

class SchemaChecker {
 public:
  SchemaChecker(const schema::SchemaRegistry& registry, const MappingHeader& header,
                ProblemList& problems)
      : registry_(registry), header_(header), problems_(problems) {}

  void check(const Step& step, const RuleSource& source) {
    step_ = &step;
    source_ = &source;
    for (std::size_t k = 0; k < step.canonical.size(); ++k) {
      const std::string where = source.pointer + "/canonical" +
                                (step.canonical.size() > 1 ? "/" + std::to_string(k) : "");
      const json::value* sub = lookup(step.canonical[k], where);
      if (!sub) continue;
      check_operation(step, step.canonical[k], facts_of(*sub), where);
    }
    if (step.when && step.when->side == Side::canonical) {
      lookup(step.when->path, source.pointer + "/when/canonical");
    }
  }

 private:
  const json::value* lookup(const JsonPath& path, const std::string& where) {
    const json::value* sub =
        registry_.subschema_at(header_.canonical_schema, header_.canonical_at + path.text());
    if (!sub) {
      problem(where, "canonical schema '" + header_.canonical_schema + "' does not describe " +
                         header_.canonical_at + path.text() +
                         " (a typo, or a field the schema does not allow)");
    }
    return sub;
  }

  void problem(const std::string& where, std::string message) {
    problems_.add(step_->index, source_->label, where, std::move(message));
  }

  void expect(const Facts& facts, std::string_view type, const JsonPath& path,
              const std::string& where, std::string_view operation) {
    if (facts.allows(type)) return;
    problem(where, "the canonical schema says " + path.text() + " is " + facts.describe() + "; " +
                       std::string(operation) + " needs " + std::string(type));
  }

  void check_operation(const Step& step, const JsonPath& path, const Facts& facts,
                       const std::string& where) {
    switch (step.operation) {
      case Operation::copy:
        break;
      case Operation::constant:
        expect(facts, json_type(step.constant), path, where, "the constant");
        break;
      case Operation::cast:
        expect(facts,
               step.cast_canonical == ScalarType::string    ? "string"
               : step.cast_canonical == ScalarType::integer ? "integer"
                                                            : "boolean",
               path, where, "the cast");
        break;
      case Operation::decimal: {
        if (facts.format == "date" || facts.format == "date-time") {
          problem(where, "the canonical schema says " + path.text() + " is a " + facts.format +
                             " (format " + facts.format +
                             "); a decimal operation cannot apply to it");
          break;
        }
        const bool wants_string = step.decimal.canonical_form == DecimalForm::string;
        if (wants_string && !facts.types.empty() && !facts.allows("string")) {
          problem(where, "the canonical schema says " + path.text() + " is " + facts.describe() +
                             "; a decimal with \"canonical\": \"string\" needs a decimal string" +
                             (facts.allows("number") ? " (binary floating point is never used "
                                                       "for money)"
                                                     : ""));
        } else if (!wants_string) {
          expect(facts, "integer", path, where, "the decimal operation");
        }
        break;
      }
      case Operation::date: {
        expect(facts, "string", path, where, "the date operation");
        const std::string wanted = step.date.canonical == DateFormat::iso_date       ? "date"
                                   : step.date.canonical == DateFormat::iso_datetime ? "date-time"
                                                                                     : "";
        if (!wanted.empty() && !facts.format.empty() && facts.format != wanted) {
          problem(where, "the canonical schema says " + path.text() + " has format " +
                             facts.format + "; the rule reads it as " +
                             std::string(date_format_name(step.date.canonical)) + " (format " +
                             wanted + ")");
        }
        break;
      }
      case Operation::codes:
        expect(facts, "string", path, where, "the code table");
        if (facts.enumeration) {
          for (const auto& code : step.codes.canonical_codes) {
            bool known = false;
            for (const auto& allowed : *facts.enumeration) known = known || allowed == code;
            if (!known) {
              problem(source_->pointer + "/codes/table",
                      "canonical code " + json::serialize(code) + " is not in the schema's enum " +
                          json::serialize(*facts.enumeration) + " for " + path.text());
            }
          }
        }
        break;
      case Operation::join:
        expect(facts, "string", path, where, step.canonical.size() > 1 ? "concat" : "split");
        break;
    }
  }

  const schema::SchemaRegistry& registry_;
  const MappingHeader& header_;
  ProblemList& problems_;
  const Step* step_ = nullptr;
  const RuleSource* source_ = nullptr;
};

}  // namespace

void check_against_schema(const MappingHeader& header, std::vector<Step>& steps,
                          const std::vector<RuleSource>& sources, const CompileOptions& options,
                          ProblemList& problems) {
  if (header.canonical_schema.empty()) return;
  if (!options.schemas) {
    if (!options.allow_unchecked_schema) {
      problems.add(-1, "", "/canonical/schema",
                   "the mapping names canonical schema '" + header.canonical_schema +
                       "' but no schema registry was given to check it against");
    }
    return;
  }
  if (!options.schemas->find(header.canonical_schema)) {
    problems.add(-1, "", "/canonical/schema",
                 "unknown canonical schema '" + header.canonical_schema +
                     "' (not found by $id or by path under the schemas directory)");
    return;
  }
  SchemaChecker checker(*options.schemas, header, problems);
  for (std::size_t i = 0; i < steps.size(); ++i) checker.check(steps[i], sources[i]);
}

#endif

}  // namespace coregate::mapping::detail
