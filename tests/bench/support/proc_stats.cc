#include "tests/bench/support/proc_stats.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace coregate::bench {
namespace {

// utime + stime of a /proc/.../stat file, in seconds; -1 when unreadable.
double stat_cpu_seconds(const std::filesystem::path& stat_file) {
  std::ifstream stat(stat_file);
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

long status_kib(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const std::string prefix = field + ":";
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  }
  return -1;
}

double process_cpu_seconds(pid_t pid) {
  return stat_cpu_seconds("/proc/" + std::to_string(pid) + "/stat");
}

std::vector<ThreadCpu> thread_cpu(pid_t pid) {
  std::vector<ThreadCpu> threads;
  std::error_code ec;
  const std::filesystem::path task = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(task, ec)) {
    ThreadCpu t;
    t.tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
    std::ifstream comm(entry.path() / "comm");
    std::getline(comm, t.name);
    t.cpu_seconds = stat_cpu_seconds(entry.path() / "stat");
    if (t.cpu_seconds >= 0) threads.push_back(std::move(t));
  }
  std::sort(threads.begin(), threads.end(),
            [](const ThreadCpu& a, const ThreadCpu& b) { return a.tid < b.tid; });
  return threads;
}

std::vector<ThreadCpu> thread_cpu_delta(const std::vector<ThreadCpu>& before,
                                        const std::vector<ThreadCpu>& after) {
  std::map<pid_t, double> earlier;
  for (const auto& t : before) earlier[t.tid] = t.cpu_seconds;
  std::vector<ThreadCpu> delta;
  for (const auto& t : after) {
    ThreadCpu d = t;
    if (auto it = earlier.find(t.tid); it != earlier.end()) d.cpu_seconds -= it->second;
    delta.push_back(std::move(d));
  }
  std::stable_sort(delta.begin(), delta.end(), [](const ThreadCpu& a, const ThreadCpu& b) {
    return a.cpu_seconds > b.cpu_seconds;
  });
  return delta;
}

long context_switches(pid_t pid) {
  long total = 0;
  std::error_code ec;
  const std::filesystem::path task = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(task, ec)) {
    std::ifstream status(entry.path() / "status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
          line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)
        total += std::stol(line.substr(line.find(':') + 1));
    }
  }
  return total;
}

long long io_counter(pid_t pid, const std::string& field) {
  std::ifstream io("/proc/" + std::to_string(pid) + "/io");
  std::string line;
  const std::string prefix = field + ":";
  while (std::getline(io, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stoll(line.substr(prefix.size()));
  }
  return -1;
}

double load_average_1m() {
  std::ifstream loadavg("/proc/loadavg");
  double one = -1;
  loadavg >> one;
  return one;
}

}  // namespace coregate::bench
