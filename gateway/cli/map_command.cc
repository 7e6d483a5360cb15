// `coregate map --mapping FILE --input FILE [--reverse] [--schemas DIR]`: runs a mapping on a
// sample record for the engineer who writes it (DESIGN §5).
// Exit 0: the mapped record, pretty JSON, on stdout. Exit 1: the mapping failed on this input
// (every error with its input path and mapping step on stderr). Exit 2: the mapping file does not
// load (every problem with file, step and pointer), or bad usage / unreadable input.
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"
#include "gateway/mapping/mapping.h"

#ifdef COREGATE_MAPPING_WITH_SCHEMA
#include "gateway/schema/schema_registry.h"
#endif

namespace coregate::cli {
namespace {

namespace json = boost::json;

void print_pretty(std::ostream& out, const json::value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  if (const auto* o = v.if_object()) {
    if (o->empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    bool first = true;
    for (const auto& member : *o) {
      if (!first) out << ",\n";
      first = false;
      out << pad << "  " << json::serialize(json::string(member.key())) << ": ";
      print_pretty(out, member.value(), indent + 1);
    }
    out << "\n" << pad << "}";
  } else if (const auto* a = v.if_array()) {
    if (a->empty()) {
      out << "[]";
      return;
    }
    out << "[\n";
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (i) out << ",\n";
      out << pad << "  ";
      print_pretty(out, (*a)[i], indent + 1);
    }
    out << "\n" << pad << "]";
  } else {
    out << json::serialize(v);
  }
}

// The schemas/ directory nearest the mapping file (walking up), else ./schemas.
std::filesystem::path find_schemas_directory(const std::filesystem::path& mapping_file) {
  std::error_code ec;
  for (auto dir = std::filesystem::absolute(mapping_file, ec).parent_path(); !dir.empty();
       dir = dir.parent_path()) {
    if (std::filesystem::is_directory(dir / "schemas", ec)) return dir / "schemas";
    if (dir == dir.parent_path()) break;
  }
  if (std::filesystem::is_directory("schemas", ec)) return "schemas";
  return {};
}

}  // namespace

int run_map_command(Args args, std::ostream& out, std::ostream& err) {
  Arguments a("map", "Run a mapping file on a sample record and print the mapped record.");
  a.option("mapping", "FILE", "the mapping file (JSON; docs/mapping.md)", true)
      .option("input", "FILE", "the record to map (JSON object)", true)
      .flag("reverse", "map a system record to the canonical form (default: canonical to system)")
      .option("schemas", "DIR",
              "canonical schemas to type-check against (default: the nearest schemas/ above the "
              "mapping file, else ./schemas)")
      .flag("no-schema-check", "do not type-check canonical paths against the canonical schema");
  if (!a.parse(args, err)) return 2;
  if (a.help_requested()) {
    a.print_usage(out);
    return 0;
  }
  const std::filesystem::path mapping_file = *a.get("mapping");
  const std::string input_file = *a.get("input");
  const auto direction =
      a.has_flag("reverse") ? mapping::Direction::to_canonical : mapping::Direction::to_system;

  mapping::CompileOptions options;
  options.allow_unchecked_schema = a.has_flag("no-schema-check");
#ifdef COREGATE_MAPPING_WITH_SCHEMA
  schema::SchemaRegistry registry;
  if (!a.has_flag("no-schema-check")) {
    std::filesystem::path schemas = a.get("schemas") ? std::filesystem::path(*a.get("schemas"))
                                                     : find_schemas_directory(mapping_file);
    if (!schemas.empty()) {
      try {
        registry.load_directory(schemas);
        options.schemas = &registry;
      } catch (const std::exception& e) {
        err << "coregate map: cannot load the canonical schemas in " << schemas.string() << ": "
            << e.what() << "\n";
        return 2;
      }
    }
  }
#endif

  std::shared_ptr<const mapping::CompiledMapping> compiled;
  try {
    compiled = mapping::load_mapping(mapping_file, options);
  } catch (const mapping::MappingLoadError& e) {
    err << e.what() << "\n";
    if (!options.schemas && !options.allow_unchecked_schema) {
      for (const auto& p : e.problems()) {
        if (p.mapping_pointer == "/canonical/schema") {
          err << "(pass --schemas DIR to type-check, or --no-schema-check to skip it)\n";
          break;
        }
      }
    }
    err << "coregate map: " << mapping_file.string() << " does not load (" << e.problems().size()
        << (e.problems().size() == 1 ? " problem" : " problems") << ")\n";
    return 2;
  }
  if (!compiled->supports(direction)) {
    err << "coregate map: mapping '" << compiled->name() << "' has no rule that maps "
        << mapping::direction_name(direction) << "\n";
    return 2;
  }

  std::ifstream in(input_file, std::ios::binary);
  if (!in) {
    err << "coregate map: cannot read input " << input_file << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value input = json::parse(text.str(), ec);
  if (ec) {
    err << "coregate map: " << input_file << " is not valid JSON: " << ec.message() << "\n";
    return 2;
  }

  mapping::MapResult result = compiled->apply(input, direction);
  if (!result.ok) {
    for (const auto& e : result.errors) {
      err << input_file << ": " << e.to_string() << "\n";
    }
    err << "coregate map: mapping '" << compiled->name() << "' ("
        << mapping::direction_name(direction) << ") failed on " << input_file << " ("
        << result.errors.size() << (result.errors.size() == 1 ? " error" : " errors") << ")\n";
    return 1;
  }
  print_pretty(out, result.output, 0);
  out << "\n";
  return 0;
}

}  // namespace coregate::cli
