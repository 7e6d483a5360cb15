#include "tests/e2e/postgres_cluster.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/e2e/e2e_gateway.h"

namespace coregate::testing::e2e {
namespace fs = std::filesystem;
namespace {

constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";
constexpr char kPsqlOdbc[] = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so";
constexpr char kServerUser[] = "coregate-test";  // the same system user the ODBC suite uses

std::string pg(const std::string& tool) {
  return std::string(kPgBin) + "/" + tool;
}

// PostgreSQL refuses to run as root: as root, it runs as an unprivileged system user.
void ensure_server_user() {
  if (::geteuid() != 0 || ::getpwnam(kServerUser) != nullptr) return;
  (void)run_process({"/usr/sbin/useradd", "--system", "--no-create-home", "--shell",
                     "/usr/sbin/nologin", kServerUser},
                    std::chrono::seconds(20));
  if (::getpwnam(kServerUser) == nullptr) throw std::runtime_error("useradd coregate-test failed");
}

std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  ensure_server_user();
  std::vector<std::string> out = {"/usr/bin/setpriv", "--reuid",        kServerUser, "--regid",
                                  kServerUser,        "--clear-groups", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

void give_to_server_user(const fs::path& dir) {
  if (::geteuid() != 0) return;
  const passwd* user = ::getpwnam(kServerUser);
  if (user == nullptr) return;
  (void)::chown(dir.c_str(), user->pw_uid, user->pw_gid);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    (void)::chown(entry.path().c_str(), user->pw_uid, user->pw_gid);
  }
}

}  // namespace

std::string PostgresCluster::unavailable_reason() {
  if (!fs::exists(pg("postgres"))) return "PostgreSQL 15 server binaries not installed";
  if (!fs::exists(pg("psql"))) return "psql not installed";
  if (!fs::exists(kPsqlOdbc)) return "psqlODBC (odbc-postgresql) not installed";
  return "";
}

PostgresCluster::PostgresCluster() {
  dir_ = fresh_dir("postgres");
  try {
    ::chmod(dir_.c_str(), 0755);
    fs::create_directories(dir_ / "run");
    ensure_server_user();
    give_to_server_user(dir_);
    auto init =
        run_process(as_server_user({pg("initdb"), "-D", (dir_ / "data").string(), "-U", "postgres",
                                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"}),
                    std::chrono::seconds(60));
    if (!init.exited || init.exit_code != 0) {
      throw std::runtime_error("initdb failed: " + init.err.substr(0, 2000));
    }
    port_ = free_loopback_port();
    start();
  } catch (...) {
    server_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    throw;
  }
}

PostgresCluster::~PostgresCluster() {
  try {
    stop();
  } catch (...) {
  }
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string PostgresCluster::odbc_connection_string() const {
  return "Driver=PostgreSQL Unicode;Server=127.0.0.1;Port=" + std::to_string(port_) +
         ";Database=postgres;UID=postgres;PWD=;";
}

void PostgresCluster::start() {
  if (server_) return;
  server_ = std::make_unique<BackgroundProcess>(
      as_server_user({pg("postgres"), "-D", (dir_ / "data").string(), "-p", std::to_string(port_),
                      "-k", (dir_ / "run").string(), "-c", "listen_addresses=127.0.0.1", "-c",
                      "max_connections=60", "-c", "shared_buffers=32MB", "-c", "fsync=on"}),
      dir_ / "server.log");
  wait_ready(std::chrono::seconds(30));
}

void PostgresCluster::stop() {
  if (!server_) return;
  server_->signal(SIGINT);
  if (!server_->wait(std::chrono::seconds(30))) {
    server_->signal(SIGKILL);
    (void)server_->wait(std::chrono::seconds(10));
    // The postmaster's children keep the shared memory a moment after a SIGKILL.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  server_.reset();
}

void PostgresCluster::wait_ready(std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!server_->running()) break;
    auto r = run_process({pg("psql"), "-h", "127.0.0.1", "-p", std::to_string(port_), "-U",
                          "postgres", "-d", "postgres", "-AtXq", "-c", "SELECT 1"},
                         std::chrono::seconds(10));
    if (r.exited && r.exit_code == 0) return;
    last = r.err;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("PostgreSQL did not come up: " + last + "\n" + log_tail());
}

std::vector<std::vector<std::string>> PostgresCluster::query(const std::string& sql) const {
  auto r =
      run_process({pg("psql"), "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "postgres",
                   "-d", "postgres", "-AtXq", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql},
                  std::chrono::seconds(60));
  if (!r.exited || r.exit_code != 0) {
    throw std::runtime_error("psql failed on '" + sql + "': " + r.err.substr(0, 2000));
  }
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> row;
    size_t from = 0;
    for (;;) {
      const size_t tab = line.find('\t', from);
      row.push_back(line.substr(from, tab == std::string::npos ? std::string::npos : tab - from));
      if (tab == std::string::npos) break;
      from = tab + 1;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string PostgresCluster::log_tail() const {
  std::ifstream in(dir_ / "server.log");
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > 3000 ? all.substr(all.size() - 3000) : all;
}

}  // namespace coregate::testing::e2e
