// A fixed-size pool of ODBC connections, one per concurrent hook call (the adapter's
// `concurrency`). Connections open lazily and are replaced after a connection-class failure
// (lease.discard()), so a server restart costs one failed write per pooled connection at most.
//
// Thread-safety: acquire() may be called from any number of threads; a Lease is owned by one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/odbc/odbc_connection.h"

namespace coregate::plugins::odbc {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease() = default;
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();
    explicit operator bool() const { return connection_ != nullptr; }
    Connection* operator->() const { return connection_.get(); }
    Connection& operator*() const { return *connection_; }
    // Closes the connection instead of returning it (after 08xxx and the like).
    void discard();

   private:
    void release();
    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<Connection> connection_;
  };

  // `size` connections at most; the pool must outlive every Lease.
  ConnectionPool(const OdbcEnvironment& env, std::string connection_string, int size,
                 int login_timeout_s);

  // A connection, opened if needed, waiting for a free one until `deadline`. An empty lease and
  // the reason in *diag (HYT00 when none became free in time, the driver's records when opening
  // failed).
  Lease acquire(std::chrono::system_clock::time_point deadline, Diagnostics* diag);

  int size() const { return size_; }
  int opened_total() const;  // connections opened over the pool's life (reconnects included)

 private:
  void give_back(std::unique_ptr<Connection> connection);

  const OdbcEnvironment& env_;
  std::string connection_string_;
  int size_;
  int login_timeout_s_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int leased_ = 0;
  int opened_total_ = 0;
};

}  // namespace coregate::plugins::odbc
