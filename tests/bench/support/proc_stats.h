// Figures about a running process read from /proc (Linux only): memory, CPU time and CPU time per
// thread, for benchmarks that report what the process under test used.
// Every function returns a neutral value (-1 or empty) when the process is gone.
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace coregate::bench {

// A field of /proc/<pid>/status in KiB, e.g. "VmRSS" (resident now) or "VmHWM" (peak resident).
long status_kib(pid_t pid, const std::string& field);

// User + system CPU seconds the whole process has used so far.
double process_cpu_seconds(pid_t pid);

struct ThreadCpu {
  pid_t tid = 0;
  std::string name;  // /proc/<pid>/task/<tid>/comm
  double cpu_seconds = 0;
};

// Every thread of the process with its CPU time so far, in thread-id (creation) order.
std::vector<ThreadCpu> thread_cpu(pid_t pid);

// CPU each thread used between two thread_cpu() samples, busiest first (threads that started
// after `before` count from zero).
std::vector<ThreadCpu> thread_cpu_delta(const std::vector<ThreadCpu>& before,
                                        const std::vector<ThreadCpu>& after);

// Context switches (voluntary + involuntary) over every thread of the process so far.
long context_switches(pid_t pid);

// A field of /proc/<pid>/io, e.g. "write_bytes" (bytes the process caused to be written to
// storage) or "wchar"; -1 when unreadable.
long long io_counter(pid_t pid, const std::string& field);

// The machine's 1-minute load average, from /proc/loadavg.
double load_average_1m();

}  // namespace coregate::bench
