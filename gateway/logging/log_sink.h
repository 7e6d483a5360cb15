// One sink for every logger: redacts secrets, then writes text or a JSON line to stderr.
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <mutex>

namespace coregate::logging {

class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RedactingSink(bool json) : json_(json) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  bool json_;
};

}  // namespace coregate::logging
