#include "gateway/plugin_host/plugin_library.h"

#include <boost/dll/shared_library.hpp>
#include <boost/json/parse.hpp>
#include <exception>
#include <fstream>

namespace coregate::plugin_host {
namespace {

std::string abi_text(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

const std::string kHostAbi = abi_text(COREGATE_ABI_MAJOR, COREGATE_ABI_MINOR);

bool is_elf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
         magic[3] == 'F';
}

bool valid_name(const char* name) {
  if (name == nullptr || !(*name >= 'a' && *name <= 'z')) return false;
  for (const char* p = name; *p; ++p) {
    bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (!ok || p - name > 63) return false;
  }
  return true;
}

LoadResult refuse(std::string reason) {
  return {nullptr, std::move(reason)};
}

// Checks the hook table against the declared capabilities; returns a refusal or "".
std::string check_hooks(const cg_type_plugin_descriptor& d) {
  if (d.hooks == nullptr)
    return "the descriptor has no hook table: rebuild the plugin with the Coregate SDK";
  const cg_type_hooks& h = *d.hooks;
  if (h.struct_size < kMinimumHooksSize) {
    return "the hook table is " + std::to_string(h.struct_size) + " bytes, ABI " + kHostAbi +
           " needs at least " + std::to_string(kMinimumHooksSize) +
           ": rebuild the plugin with the Coregate SDK";
  }
  if (h.cg_on_create == nullptr || h.cg_on_destroy == nullptr) {
    return "the hook table lacks cg_on_create or cg_on_destroy: every plugin must implement both";
  }
  struct Need {
    uint64_t cap;
    const void* hook;
    const char* name;
  };
  const Need needs[] = {
      {CG_CAP_WRITE, reinterpret_cast<const void*>(h.cg_on_write), "write"},
      {CG_CAP_PROBE, reinterpret_cast<const void*>(h.cg_on_probe), "probe"},
      {CG_CAP_POLL, reinterpret_cast<const void*>(h.cg_on_poll), "poll"},
      {CG_CAP_INBOUND, reinterpret_cast<const void*>(h.cg_on_inbound), "inbound"},
      {CG_CAP_HEALTH, reinterpret_cast<const void*>(h.cg_on_health), "health"},
  };
  for (const Need& n : needs) {
    if ((d.capabilities & n.cap) && n.hook == nullptr) {
      return std::string("declares the ") + n.name + " capability but its cg_on_" + n.name +
             " hook is NULL: implement the hook or drop the capability";
    }
  }
  return {};
}

}  // namespace

PluginLibrary::PluginLibrary(boost::dll::shared_library library,
                             const cg_type_plugin_descriptor* descriptor,
                             std::filesystem::path file, std::string config_schema_json)
    : library_(std::move(library)),
      descriptor_(descriptor),
      file_(std::move(file)),
      name_(descriptor->name),
      version_(descriptor->version ? descriptor->version : ""),
      build_signature_(descriptor->build_signature ? descriptor->build_signature : ""),
      config_schema_json_(std::move(config_schema_json)) {}

LoadResult load_plugin_library(const std::filesystem::path& file) {
  if (!is_elf(file)) {
    return refuse(
        "not a shared object (no ELF header): remove it from the plugin path or rebuild it");
  }
  boost::dll::shared_library library;
  try {
    library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return refuse(std::string("cannot be loaded: ") + e.what() +
                  " (a missing dependency or a library built for another platform)");
  }
  if (!library.has(COREGATE_PLUGIN_ENTRY_SYMBOL)) {
    return refuse(
        "exports no " COREGATE_PLUGIN_ENTRY_SYMBOL
        " symbol: it is not a Coregate plugin, or it was built without COREGATE_PLUGIN(...) "
        "or with the symbol hidden");
  }
  const cg_type_plugin_descriptor* d = nullptr;
  try {
    auto init = library.get<const cg_type_plugin_descriptor*()>(COREGATE_PLUGIN_ENTRY_SYMBOL);
    d = init();
  } catch (const std::exception& e) {
    return refuse(std::string(COREGATE_PLUGIN_ENTRY_SYMBOL " threw: ") + e.what() +
                  " (a plugin bug)");
  } catch (...) {
    return refuse(COREGATE_PLUGIN_ENTRY_SYMBOL " threw a non-standard exception (a plugin bug)");
  }
  if (d == nullptr) {
    return refuse(COREGATE_PLUGIN_ENTRY_SYMBOL " returned NULL: the plugin refused to initialise");
  }
  if (d->struct_size < kMinimumDescriptorSize) {
    return refuse("its descriptor is " + std::to_string(d->struct_size) + " bytes but ABI " +
                  kHostAbi + " needs at least " + std::to_string(kMinimumDescriptorSize) +
                  ": rebuild the plugin against the current Coregate SDK");
  }
  const std::string plugin_abi = abi_text(d->abi_major, d->abi_minor);
  if (d->abi_major != COREGATE_ABI_MAJOR) {
    return refuse("built for ABI " + plugin_abi + " but this gateway speaks ABI " + kHostAbi +
                  " (majors must match): rebuild the plugin against a Coregate SDK for ABI " +
                  std::to_string(COREGATE_ABI_MAJOR) + ".x");
  }
  if (d->abi_minor > COREGATE_ABI_MINOR) {
    return refuse("built for ABI " + plugin_abi + ", newer than this gateway's ABI " + kHostAbi +
                  ": upgrade the gateway, or rebuild the plugin against the SDK for ABI " +
                  kHostAbi);
  }
  if (!valid_name(d->name)) {
    return refuse("declares an invalid plugin name (want [a-z][a-z0-9_]*, at most 64 characters)");
  }
  if (std::string problem = check_hooks(*d); !problem.empty()) return refuse(problem);

  std::string schema = d->config_schema_json ? d->config_schema_json : "{}";
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(schema, ec);
  if (ec || !(parsed.is_object() || parsed.is_bool())) {
    return refuse("its config schema is not a JSON object (" +
                  (ec ? ec.message() : std::string("wrong JSON type")) +
                  "): fix the plugin's schema text");
  }
  return {std::make_shared<const PluginLibrary>(std::move(library), d, file, std::move(schema)),
          {}};
}

}  // namespace coregate::plugin_host
