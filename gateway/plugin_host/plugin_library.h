// One loaded plugin library and its validated descriptor (DESIGN §3).
//
// Lifetime: the library stays mapped as long as any shared_ptr<const PluginLibrary> lives; every
// AdapterInstance holds one, so a library is never unloaded while an object it created is alive.
// Thread-safety: immutable after load.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "coregate/plugin_abi.h"

namespace coregate::plugin_host {

class PluginLibrary {
 public:
  PluginLibrary(boost::dll::shared_library library, const cg_type_plugin_descriptor* descriptor,
                std::filesystem::path file, std::string config_schema_json);

  const std::filesystem::path& file() const { return file_; }
  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& build_signature() const { return build_signature_; }
  uint32_t abi_major() const { return descriptor_->abi_major; }
  uint32_t abi_minor() const { return descriptor_->abi_minor; }
  uint64_t capabilities() const { return descriptor_->capabilities; }
  bool can(uint64_t capability) const { return (descriptor_->capabilities & capability) != 0; }
  // The plugin's config schema (JSON text; "{}" when the plugin declared none).
  const std::string& config_schema_json() const { return config_schema_json_; }
  const cg_type_hooks& hooks() const { return *descriptor_->hooks; }

 private:
  boost::dll::shared_library library_;  // declared first: destroyed (unloaded) last
  const cg_type_plugin_descriptor* descriptor_;
  std::filesystem::path file_;
  std::string name_;
  std::string version_;
  std::string build_signature_;
  std::string config_schema_json_;
};

// Either a loaded library or the reason it was refused. `refusal` is a complete sentence that
// says what is wrong and what to do; the caller adds the file name.
struct [[nodiscard]] LoadResult {
  std::shared_ptr<const PluginLibrary> library;
  std::string refusal;
};

// Loads `file` with RTLD_NOW | RTLD_LOCAL, calls coregate_plugin_init and validates the descriptor.
// Refuses (never crashes on): not a shared object, no entry symbol, init returning NULL, a
// descriptor shorter than ABI 1.0's, an ABI major other than ours, an ABI minor newer than ours, a
// bad name, a missing hook table or a declared capability without its hook, an unparsable schema.
// Never throws.
LoadResult load_plugin_library(const std::filesystem::path& file);

// The size of the ABI 1.0 descriptor: anything shorter cannot be read safely.
constexpr size_t kMinimumDescriptorSize =
    offsetof(cg_type_plugin_descriptor, hooks) + sizeof(const cg_type_hooks*);
constexpr size_t kMinimumHooksSize = offsetof(cg_type_hooks, cg_on_health) + sizeof(void*);

}  // namespace coregate::plugin_host
