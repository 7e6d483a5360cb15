// File helpers for the CLI and tools: read a JSON file with a precise parse error, and load one
// schema file together with the documents it may $ref.
#pragma once

#include <boost/json/value.hpp>

#include <filesystem>
#include <memory>
#include <vector>

#include "gateway/schema/schema_registry.h"

namespace coregate::schema {

// Thrown by read_json_file for an unreadable or malformed file; what() names the file, the line
// and the column.
class JsonFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses a whole file as one JSON value. Throws JsonFileError.
boost::json::value read_json_file(const std::filesystem::path& path);

// "file://" URI of a path (made absolute), with bytes URIs cannot hold percent-encoded: the base
// URI of a schema file that has no $id.
std::string file_uri(const std::filesystem::path& path);

// Compiles `schema_file` in `registry`, first registering (not compiling) the documents it may
// reference: every other *.json in its folder, every *.json below each of `search_dirs`, and —
// when its $id is under https://coregate.dev/schemas/ — the canonical schemas tree the file
// sits in. Documents that are not JSON are skipped unless referenced (then the $ref fails).
// Throws SchemaError (a JSON syntax error in schema_file is reported as a SchemaError too).
std::shared_ptr<const CompiledSchema> load_schema_file(
    SchemaRegistry& registry, const std::filesystem::path& schema_file,
    const std::vector<std::filesystem::path>& search_dirs = {});

}  // namespace coregate::schema
