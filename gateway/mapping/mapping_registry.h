// Every mapping a deployment uses, compiled once at start-up and found by name.
//
// Threading: load_directory() and add() mutate the registry; call them at start-up only, never
// concurrently with anything else. After that find() and names() are const and thread-safe, and
// the CompiledMapping objects they return are immutable and may be applied from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/mapping/mapping.h"

namespace coregate::mapping {

class MappingRegistry {
 public:
  // `options` (schemas, layout directory) apply to every mapping loaded.
  explicit MappingRegistry(CompileOptions options = {});

  // Loads every *.json file directly in `directory` (not its subfolders, which hold layouts and
  // samples). Throws MappingLoadError listing the problems of
  // EVERY bad file (and duplicate names); on error nothing from this call is registered.
  void load_directory(const std::filesystem::path& directory);
  // Registers one compiled mapping; throws MappingLoadError when its name is already taken.
  void add(std::shared_ptr<const CompiledMapping> mapping);

  // nullptr when no mapping has that name.
  std::shared_ptr<const CompiledMapping> find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  CompileOptions options_;
  std::map<std::string, std::shared_ptr<const CompiledMapping>, std::less<>> mappings_;
};

}  // namespace coregate::mapping
