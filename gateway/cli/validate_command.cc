// `coregate validate --schema FILE --instance FILE [--schemas DIR]`: validates one JSON document
// against a JSON Schema with the gateway's own validator.
// Exit 0 valid, 1 invalid (each error: instance pointer, keyword, message), 2 for a schema that
// cannot be used (unsupported keyword, unresolvable $ref, not JSON) or bad usage/unreadable input.
#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"
#include "gateway/schema/schema_files.h"
#include "gateway/schema/schema_registry.h"

namespace coregate::cli {

int run_validate_command(Args args, std::ostream& out, std::ostream& err) {
  Arguments a("validate", "Validate a JSON document against a JSON Schema (2020-12 subset).");
  a.option("schema", "FILE", "the JSON Schema file", true)
      .option("instance", "FILE", "the JSON document to validate", true)
      .option("schemas", "DIR",
              "also make every schema below DIR available to $ref (the schema's own folder and, "
              "for canonical schemas, the schemas/ tree are always available)");
  if (!a.parse(args, err)) return 2;
  if (a.help_requested()) {
    a.print_usage(out);
    return 0;
  }
  const std::string schema_file = *a.get("schema");
  const std::string instance_file = *a.get("instance");
  std::vector<std::filesystem::path> search_dirs;
  if (auto dir = a.get("schemas")) search_dirs.emplace_back(*dir);

  schema::SchemaRegistry registry;
  std::shared_ptr<const schema::CompiledSchema> compiled;
  try {
    compiled = schema::load_schema_file(registry, schema_file, search_dirs);
  } catch (const schema::SchemaError& e) {
    err << "coregate validate: bad schema: " << e.what() << "\n";
    return 2;
  }
  boost::json::value instance;
  try {
    instance = schema::read_json_file(instance_file);
  } catch (const schema::JsonFileError& e) {
    err << "coregate validate: bad instance: " << e.what() << "\n";
    return 2;
  }
  std::vector<schema::ValidationError> errors;
  if (compiled->validate(instance, &errors)) {
    out << instance_file << ": valid\n";
    return 0;
  }
  for (const auto& e : errors) {
    err << instance_file << ": " << (e.instance_pointer.empty() ? "(root)" : e.instance_pointer)
        << ": " << e.keyword << ": " << e.message << "\n";
  }
  err << instance_file << ": invalid (" << errors.size()
      << (errors.size() == 1 ? " error" : " errors")
      << (errors.size() >= schema::kMaxValidationErrors ? ", list truncated" : "") << ")\n";
  return 1;
}

}  // namespace coregate::cli
