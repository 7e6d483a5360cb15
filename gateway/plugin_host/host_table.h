// The host's half of the ABI: the cg_type_buffer the host owns, and the cg_type_host callback
// table given to one adapter instance.
#pragma once

#include <spdlog/logger.h>
#include <memory>
#include <string>

#include "coregate/plugin_abi.h"
#include "gateway/plugin_host/host_services.h"

// Defined here (not in the ABI) because only the host allocates and reads buffers.
struct cg_type_buffer {
  std::string data;
};

// Identifies the adapter instance in callbacks.
struct cg_type_host_context {
  std::string instance;
  std::shared_ptr<spdlog::logger> logger;
  coregate::plugin_host::HostServices* services;
};

namespace coregate::plugin_host {

// Owns the context and the callback table for one adapter instance. Not copyable or movable: the
// plugin keeps pointers into it until its adapter is destroyed.
class HostTable {
 public:
  HostTable(std::string instance, HostServices& services);
  HostTable(const HostTable&) = delete;
  HostTable& operator=(const HostTable&) = delete;

  const cg_type_host* table() const { return &table_; }
  const std::string& instance() const { return context_.instance; }

 private:
  cg_type_host_context context_;
  cg_type_host table_{};
};

}  // namespace coregate::plugin_host
