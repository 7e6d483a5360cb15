#include "tests/integration/plugins/odbc/database_servers.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "plugins/odbc/odbc_connection.h"

namespace coregate::testing::odbc {
namespace fs = std::filesystem;
namespace {

constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";
constexpr char kMariadbd[] = "/usr/sbin/mariadbd";
constexpr char kMariadbInstall[] = "/usr/bin/mariadb-install-db";
constexpr char kUser[] = "coregate-test";

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Servers refuse to run as root: they run as a system user, created on first need.
passwd* server_user() {
  if (::getpwnam(kUser) == nullptr) {
    auto r = run_process({"/usr/sbin/useradd", "--system", "--no-create-home", "--shell",
                          "/usr/sbin/nologin", kUser},
                         std::chrono::seconds(20));
    if (::getpwnam(kUser) == nullptr) {
      throw std::runtime_error("useradd " + std::string(kUser) + ": " + r.err);
    }
  }
  return ::getpwnam(kUser);
}

std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  server_user();
  std::vector<std::string> out = {"/usr/bin/setpriv", "--reuid", kUser, "--regid", kUser,
                                  "--clear-groups",   "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

void give_to_server_user(const fs::path& dir) {
  if (::geteuid() != 0) return;
  passwd* pw = server_user();
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    (void)::chown(entry.path().c_str(), pw->pw_uid, pw->pw_gid);
  }
  (void)::chown(dir.c_str(), pw->pw_uid, pw->pw_gid);
}

void must(const ProcessResult& r, const std::string& what) {
  if (!r.exited || r.exit_code != 0) {
    throw std::runtime_error(what + " failed (exit " + std::to_string(r.exit_code) +
                             "): " + r.err.substr(0, 2000) + r.out.substr(0, 1000));
  }
}

}  // namespace

std::string backend_name(Backend backend) {
  switch (backend) {
    case Backend::kSqlite:
      return "sqlite";
    case Backend::kPostgres:
      return "postgresql";
    case Backend::kMariadb:
      return "mariadb";
  }
  return "?";
}

std::string DatabaseServer::unavailable_reason(Backend backend) {
  switch (backend) {
    case Backend::kSqlite:
      if (!fs::exists("/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so")) {
        return "SQLite3 ODBC driver (libsqliteodbc) not installed";
      }
      return "";
    case Backend::kPostgres:
      if (!fs::exists(fs::path(kPgBin) / "postgres"))
        return "PostgreSQL 15 server binaries not installed";
      if (!fs::exists("/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so"))
        return "psqlODBC not installed";
      return "";
    case Backend::kMariadb:
      if (!fs::exists(kMariadbd)) return "mariadbd not installed (apt-get install mariadb-server)";
      if (!fs::exists("/usr/lib/x86_64-linux-gnu/odbc/libmaodbc.so"))
        return "MariaDB ODBC driver not installed";
      return "";
  }
  return "unknown backend";
}

DatabaseServer::DatabaseServer(Backend backend) : backend_(backend) {
  std::string tmpl =
      (fs::temp_directory_path() / ("coregate-odbc-" + backend_name(backend) + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = buf.data();
  if (backend == Backend::kSqlite) return;
  // The destructor does not run when the constructor throws: clean up here.
  try {
    initialise_and_start();
  } catch (...) {
    process_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

void DatabaseServer::initialise_and_start() {
  ::chmod(dir_.c_str(), 0755);
  port_ = free_port();
  fs::create_directories(dir_ / "run");
  if (backend_ == Backend::kPostgres) {
    give_to_server_user(dir_);
    must(run_process(as_server_user({std::string(kPgBin) + "/initdb", "-D",
                                     (dir_ / "data").string(), "-U", "postgres", "--auth=trust",
                                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"}),
                     std::chrono::seconds(60)),
         "initdb");
  } else {
    give_to_server_user(dir_);
    must(run_process(as_server_user({kMariadbInstall, "--no-defaults",
                                     "--datadir=" + (dir_ / "data").string(),
                                     "--auth-root-authentication-method=normal", "--skip-test-db",
                                     "--skip-name-resolve"}),
                     std::chrono::seconds(90)),
         "mariadb-install-db");
  }
  start();
}

DatabaseServer::~DatabaseServer() {
  try {
    if (process_) stop();
  } catch (...) {
  }
  process_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string DatabaseServer::connection_string() const {
  switch (backend_) {
    case Backend::kSqlite:
      // Timeout: SQLite's busy timeout in ms, short so a lock conflict answers quickly.
      return "Driver=SQLite3;Database=" + (dir_ / "target.db").string() + ";Timeout=1000;";
    case Backend::kPostgres:
      return "Driver=PostgreSQL Unicode;Server=127.0.0.1;Port=" + std::to_string(port_) +
             ";Database=postgres;UID=postgres;PWD=;";
    case Backend::kMariadb:
      return "Driver=MariaDB Unicode;Server=127.0.0.1;Port=" + std::to_string(port_) +
             ";Database=coregate;User=root;Password=;";
  }
  return "";
}

void DatabaseServer::start() {
  if (backend_ == Backend::kSqlite || process_) return;
  std::vector<std::string> argv;
  if (backend_ == Backend::kPostgres) {
    argv = {std::string(kPgBin) + "/postgres",
            "-D",
            (dir_ / "data").string(),
            "-p",
            std::to_string(port_),
            "-k",
            (dir_ / "run").string(),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "max_connections=60",
            "-c",
            "deadlock_timeout=300ms",
            "-c",
            "shared_buffers=32MB"};
  } else {
    argv = {kMariadbd,
            "--no-defaults",
            "--datadir=" + (dir_ / "data").string(),
            "--socket=" + (dir_ / "run" / "mysqld.sock").string(),
            "--pid-file=" + (dir_ / "run" / "mysqld.pid").string(),
            "--port=" + std::to_string(port_),
            "--bind-address=127.0.0.1",
            "--skip-grant-tables",
            "--skip-name-resolve",
            "--innodb-lock-wait-timeout=2",
            "--innodb-buffer-pool-size=64M",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_bin",
            "--max-connections=80",
            "--log-error=" + (dir_ / "mariadb.err").string()};
  }
  process_ = std::make_unique<BackgroundProcess>(as_server_user(argv), dir_ / "server.log");
  wait_ready(std::chrono::seconds(30));
}

void DatabaseServer::wait_ready(std::chrono::seconds limit) {
  using namespace coregate::plugins::odbc;
  static OdbcEnvironment env;
  auto until = std::chrono::steady_clock::now() + limit;
  std::string probe = connection_string();
  if (backend_ == Backend::kMariadb) {
    // The database may not exist yet: connect without one and create it.
    probe = "Driver=MariaDB Unicode;Server=127.0.0.1;Port=" + std::to_string(port_) +
            ";User=root;Password=;";
  }
  Diagnostics last;
  while (std::chrono::steady_clock::now() < until) {
    if (!process_->running()) break;
    Diagnostics diag;
    auto c = Connection::open(env, probe, 2, &diag);
    if (c) {
      if (backend_ == Backend::kMariadb) {
        (void)c->execute_direct("CREATE DATABASE IF NOT EXISTS coregate CHARACTER SET utf8mb4");
      }
      return;
    }
    last = diag;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  throw std::runtime_error(backend_name(backend_) + " did not come up: " + describe(last) + "\n" +
                           log_tail());
}

std::string DatabaseServer::log_tail() const {
  std::string out;
  for (auto name : {"server.log", "mariadb.err"}) {
    std::ifstream in(dir_ / name);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.size() > 3000) text = text.substr(text.size() - 3000);
    out += text;
  }
  return out;
}

void DatabaseServer::stop() {
  if (!process_) return;
  process_->signal(backend_ == Backend::kPostgres ? SIGINT : SIGTERM);
  if (!process_->wait(std::chrono::seconds(20))) {
    process_->signal(SIGKILL);
    (void)process_->wait(std::chrono::seconds(10));
  }
  process_.reset();
}

void DatabaseServer::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  (void)process_->wait(std::chrono::seconds(10));
  process_.reset();
  if (backend_ == Backend::kPostgres) {
    // Children of a SIGKILLed postmaster linger briefly and keep the shared memory; wait for them.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

namespace {
std::mutex servers_mutex;
std::map<Backend, std::unique_ptr<DatabaseServer>>& servers() {
  static std::map<Backend, std::unique_ptr<DatabaseServer>> s;
  return s;
}
}  // namespace

DatabaseServer& shared_server(Backend backend) {
  std::lock_guard lock(servers_mutex);
  auto& slot = servers()[backend];
  if (!slot) slot = std::make_unique<DatabaseServer>(backend);
  return *slot;
}

void stop_shared_servers() {
  std::lock_guard lock(servers_mutex);
  servers().clear();
}

}  // namespace coregate::testing::odbc
