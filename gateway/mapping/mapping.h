// Declarative mappings between a canonical record and a system of record's record (DESIGN §5).
//
// A mapping file (JSON, schemas/mapping/mapping.json, language in docs/mapping.md) lists field
// rules: paths and renames, casts, exact decimals, dates, code tables, defaults and constants,
// concatenate/split, fixed-width text, conditions, character-set checks. load_mapping() COMPILES
// the file once into an immutable plan and type-checks it; apply() then runs the plan on records
// without looking at the mapping's JSON again.
//
// Errors:
//  - Load time: load_mapping()/compile_mapping() throw MappingLoadError listing EVERY problem
//    found, each naming the file, the step (rule index and its target) and the JSON pointer in the
//    mapping file.
//  - Run time: apply() never throws for bad input; it returns a MapResult whose errors name the
//    input path, the step and the reason in operator-readable words.
//
// Thread-safety: a CompiledMapping is immutable after construction; apply() is const and may run
// concurrently from any number of threads. Share it as std::shared_ptr<const CompiledMapping>.
#pragma once

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::schema {
class SchemaRegistry;
}

namespace coregate::mapping {

// to_system: canonical record → system record (before a write).
// to_canonical: system record → canonical record (a polled row becoming a trigger; also the
// reverse of to_system for `coregate map --reverse`).
enum class Direction : std::uint8_t { to_system, to_canonical };
std::string_view direction_name(Direction direction);

// Why a record could not be mapped. Stable names (code_name()) appear in diagnostics and metrics.
enum class MapErrorCode : std::uint8_t {
  missing_source,      // a required source path is absent (or null) in the input
  wrong_type,          // the input value has the wrong JSON type for the operation
  invalid_number,      // not an integer / not a decimal / binary floating point refused
  decimal_overflow,    // more integer digits than the target precision allows, or out of range
  rounding_required,   // rounding mode "unnecessary" and digits would be lost
  negative_unsigned,   // a negative value for an unsigned target
  invalid_date,        // not a date in the declared format, or not a real date (2026-02-30)
  invalid_julian_day,  // day of year 000, or 366 in a non-leap year, or above 366
  year_out_of_window,  // a year a two-digit-year format cannot hold with its pivot
  unknown_code,        // a code-table miss without a default
  too_long,            // longer than a fixed width and the rule does not allow truncation
  unrepresentable_character,  // a character the system's character set cannot hold
  split_mismatch,  // a value to split has the wrong number of parts, or a part holds the separator
};
std::string_view code_name(MapErrorCode code);

// One failure on one record.
struct MapError {
  MapErrorCode code;
  std::string input_path;   // RFC 6901 pointer into the input record ("" when not about one path)
  int step = -1;            // index of the rule in the mapping's "fields" array
  std::string step_target;  // the rule's target, e.g. "system /ARR-AMOUNT"
  std::string message;      // the reason, e.g. "123456.78 needs 6 integer digits; ..."

  // "step 3 (system /ARR-AMOUNT), input /amount/value: decimal_overflow: 123456.78 needs ..."
  std::string to_string() const;
};

// The result of one apply(). When ok, `output` is the mapped record (an object). When not ok,
// `errors` has every failure found (at most kMaxMapErrors) and `output` holds what was mapped so
// far, for diagnostics only — never write it to a system.
struct [[nodiscard]] MapResult {
  bool ok = false;
  boost::json::value output;
  std::vector<MapError> errors;

  // All errors, one per line, prefixed with the mapping's name: the text for a REJECTED exception.
  std::string diagnostic(std::string_view mapping_name) const;
};

inline constexpr std::size_t kMaxMapErrors = 50;

// One load-time problem.
struct LoadProblem {
  std::string file;             // the mapping file (or the name given to compile_mapping)
  int step = -1;                // rule index; -1 for problems outside "fields"
  std::string step_target;      // "system /ARR-AMOUNT"; empty when step == -1
  std::string mapping_pointer;  // where in the mapping file, e.g. "/fields/3/decimal/precision"
  std::string message;

  // "arrangement.json: step 3 (system /ARR-AMOUNT) at /fields/3/decimal/precision: <message>"
  std::string to_string() const;
};

// Thrown only by load_mapping()/compile_mapping(). what() lists every problem, one per line.
class MappingLoadError : public std::runtime_error {
 public:
  explicit MappingLoadError(std::vector<LoadProblem> problems);
  const std::vector<LoadProblem>& problems() const { return problems_; }

 private:
  std::vector<LoadProblem> problems_;
};

// What the compiler checks against. Both are optional: without a registry, a mapping that names
// a canonical schema fails to load (a typo must not pass silently) unless
// allow_unchecked_schema is set; without a base directory, a copybook layout path is resolved
// relative to the mapping file.
struct CompileOptions {
  // Canonical schemas, for type-checking canonical paths (SchemaRegistry::subschema_at). Must
  // outlive compile only (the plan keeps no reference to it).
  const coregate::schema::SchemaRegistry* schemas = nullptr;
  // Skip the schema type-check when `schemas` is null instead of failing (e.g. a quick
  // `coregate map` run with no schemas directory). The check runs whenever `schemas` is set.
  bool allow_unchecked_schema = false;
  // Directory relative layout files ("layout": {"copybook": ...}) are resolved against; empty =
  // the mapping file's directory.
  std::filesystem::path layout_directory;
};

namespace detail {
struct Plan;
}

class CompiledMapping {
 public:
  explicit CompiledMapping(std::shared_ptr<const detail::Plan> plan);
  ~CompiledMapping();

  // Maps `input` (an object) in `direction`. Never throws on bad input. Output memory comes from
  // `storage` (default: the global heap); pass a monotonic_resource to map many records cheaply.
  MapResult apply(const boost::json::value& input, Direction direction,
                  boost::json::storage_ptr storage = {}) const;

  // True when at least one rule runs in `direction`.
  bool supports(Direction direction) const;
  // The mapping's "name".
  const std::string& name() const;
  // The canonical schema the mapping names ("" when none).
  const std::string& canonical_schema() const;
  // The file it was loaded from (or the name given to compile_mapping).
  const std::string& source() const;
  std::size_t rule_count() const;

 private:
  std::shared_ptr<const detail::Plan> plan_;
};

// Reads, compiles and type-checks a mapping file. Throws MappingLoadError (also for an unreadable
// file or invalid JSON).
std::shared_ptr<const CompiledMapping> load_mapping(const std::filesystem::path& file,
                                                    const CompileOptions& options = {});

// Compiles an already parsed mapping document; `source_name` stands in for the file name in
// diagnostics and `base_directory` resolves relative layout paths.
std::shared_ptr<const CompiledMapping> compile_mapping(
    const boost::json::value& document, std::string source_name, const CompileOptions& options = {},
    const std::filesystem::path& base_directory = {});

}  // namespace coregate::mapping
