#include "plugins/testing/control_file.h"

#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "plugins/testing/seeded_draw.h"

namespace coregate::plugins::testing {

uint64_t ControlFile::identity() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return 1;  // "absent" is an identity of its own
  uint64_t h = splitmix64(static_cast<uint64_t>(st.st_ino));
  h = splitmix64(h ^ static_cast<uint64_t>(st.st_size));
  h = splitmix64(h ^ static_cast<uint64_t>(st.st_mtim.tv_sec));
  h = splitmix64(h ^ static_cast<uint64_t>(st.st_mtim.tv_nsec));
  return h < 2 ? h + 2 : h;
}

std::optional<boost::json::object> ControlFile::check() {
  uint64_t now = identity();
  if (now == seen_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mutex_);
  now = identity();
  if (now == seen_.load(std::memory_order_relaxed)) return std::nullopt;  // another thread won
  seen_.store(now, std::memory_order_release);
  present_.store(now != 1, std::memory_order_release);
  if (now == 1) return boost::json::object();
  std::ifstream in(path_);
  if (!in) throw std::runtime_error("control file '" + path_ + "': cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text.str(), ec);
  if (ec) throw std::runtime_error("control file '" + path_ + "': not JSON: " + ec.message());
  if (!value.is_object()) {
    throw std::runtime_error("control file '" + path_ + "': must hold a JSON object");
  }
  return std::move(value.as_object());
}

}  // namespace coregate::plugins::testing
