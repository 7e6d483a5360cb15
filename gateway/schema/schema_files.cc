#include "gateway/schema/schema_files.h"

#include <boost/json/stream_parser.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace coregate::schema {

namespace {

constexpr std::string_view kCanonicalBase = "https://coregate.dev/schemas/";

void collect(const std::filesystem::path& dir, bool recursive,
             std::set<std::filesystem::path>& out) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  auto add = [&](const std::filesystem::directory_entry& entry) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      out.insert(std::filesystem::weakly_canonical(entry.path()));
    }
  };
  if (recursive) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) add(entry);
  } else {
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) add(entry);
  }
}

}  // namespace

std::string file_uri(const std::filesystem::path& path) {
  std::string uri = "file://";
  for (unsigned char c : std::filesystem::absolute(path).lexically_normal().generic_string()) {
    bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      uri.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

boost::json::value read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JsonFileError(path.string() + ": cannot open file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = boost::json::error::extra_data;
  if (!ec) parser.finish(ec);
  if (ec) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < consumed && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw JsonFileError(path.string() + ":" + std::to_string(line) + ":" + std::to_string(column) +
                        ": not valid JSON: " + ec.message());
  }
  return parser.release();
}

std::shared_ptr<const CompiledSchema> load_schema_file(
    SchemaRegistry& registry, const std::filesystem::path& schema_file,
    const std::vector<std::filesystem::path>& search_dirs) {
  boost::json::value schema;
  try {
    schema = read_json_file(schema_file);
  } catch (const JsonFileError& e) {
    throw SchemaError(schema_file.string(), "", e.what());
  }
  const std::filesystem::path self = std::filesystem::weakly_canonical(schema_file);
  std::set<std::filesystem::path> neighbours;
  collect(self.parent_path(), false, neighbours);
  for (const auto& dir : search_dirs) collect(dir, true, neighbours);
  // A canonical schema ".../schemas/outcomes/x.json" with $id ".../schemas/outcomes/x.json":
  // the tree root is the file's path minus the $id's relative part.
  if (const auto* object = schema.if_object()) {
    if (const auto* id = object->if_contains("$id"); id != nullptr && id->is_string()) {
      std::string_view uri = id->get_string();
      if (uri.starts_with(kCanonicalBase)) {
        std::filesystem::path relative(std::string(uri.substr(kCanonicalBase.size())));
        std::filesystem::path root = self;
        bool matches = true;
        for (auto it = relative.end(); it != relative.begin();) {
          --it;
          if (root.filename() != *it) {
            matches = false;
            break;
          }
          root = root.parent_path();
        }
        if (matches) collect(root, true, neighbours);
      }
    }
  }
  neighbours.erase(self);
  for (const auto& path : neighbours) {
    try {
      registry.add_document(read_json_file(path), file_uri(path), path.string());
    } catch (const std::exception&) {
      // Not a schema we can index (an instance file, a broken neighbour): it only matters if
      // referenced, and then the $ref reports it as unresolvable.
    }
  }
  return registry.compile(schema, file_uri(self), schema_file.string());
}

}  // namespace coregate::schema
