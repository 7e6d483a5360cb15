#include "gateway/mapping/mapping_registry.h"

#include <algorithm>

namespace coregate::mapping {

MappingRegistry::MappingRegistry(CompileOptions options) : options_(std::move(options)) {}

void MappingRegistry::load_directory(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  // Only the folder itself: subfolders hold layouts and sample records, not mappings.
  for (auto it = std::filesystem::directory_iterator(directory, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) {
    throw MappingLoadError({LoadProblem{directory.string(), -1, "", "",
                                        "cannot list the directory: " + ec.message()}});
  }
  std::sort(files.begin(), files.end());
  std::vector<LoadProblem> problems;
  std::map<std::string, std::shared_ptr<const CompiledMapping>, std::less<>> loaded;
  for (const auto& file : files) {
    try {
      auto mapping = load_mapping(file, options_);
      if (mappings_.count(mapping->name()) || loaded.count(mapping->name())) {
        problems.push_back(
            {file.string(), -1, "", "/name",
             "mapping name '" + mapping->name() + "' is already used by " +
                 (loaded.count(mapping->name()) ? loaded[mapping->name()]->source()
                                                : mappings_[mapping->name()]->source())});
        continue;
      }
      loaded.emplace(mapping->name(), std::move(mapping));
    } catch (const MappingLoadError& e) {
      problems.insert(problems.end(), e.problems().begin(), e.problems().end());
    }
  }
  if (!problems.empty()) throw MappingLoadError(std::move(problems));
  mappings_.merge(loaded);
}

void MappingRegistry::add(std::shared_ptr<const CompiledMapping> mapping) {
  if (mappings_.count(mapping->name())) {
    throw MappingLoadError(
        {LoadProblem{mapping->source(), -1, "", "/name",
                     "mapping name '" + mapping->name() + "' is already used by " +
                         mappings_[mapping->name()]->source()}});
  }
  const std::string name = mapping->name();
  mappings_.emplace(name, std::move(mapping));
}

std::shared_ptr<const CompiledMapping> MappingRegistry::find(std::string_view name) const {
  auto it = mappings_.find(name);
  return it == mappings_.end() ? nullptr : it->second;
}

std::vector<std::string> MappingRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, mapping] : mappings_) out.push_back(name);
  return out;
}

}  // namespace coregate::mapping
