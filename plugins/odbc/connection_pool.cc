#include "plugins/odbc/connection_pool.h"

namespace coregate::plugins::odbc {

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = other.pool_;
    connection_ = std::move(other.connection_);
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  release();
}

void ConnectionPool::Lease::discard() {
  connection_.reset();  // disconnects now; release() still frees the slot
}

void ConnectionPool::Lease::release() {
  if (pool_ == nullptr) return;
  pool_->give_back(std::move(connection_));
  pool_ = nullptr;
}

ConnectionPool::ConnectionPool(const OdbcEnvironment& env, std::string connection_string, int size,
                               int login_timeout_s)
    : env_(env),
      connection_string_(std::move(connection_string)),
      size_(size),
      login_timeout_s_(login_timeout_s) {}

ConnectionPool::Lease ConnectionPool::acquire(std::chrono::system_clock::time_point deadline,
                                              Diagnostics* diag) {
  std::unique_ptr<Connection> connection;
  {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_until(lock, deadline, [&] { return leased_ < size_; })) {
      diag->push_back({"HYT00", 0, "no pooled connection became free before the deadline"});
      return {};
    }
    ++leased_;
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!connection) {
    // Opening happens outside the lock so a slow server does not stall other leases.
    connection = Connection::open(env_, connection_string_, login_timeout_s_, diag);
    std::lock_guard lock(mutex_);
    if (!connection) {
      --leased_;
      freed_.notify_one();
      return {};
    }
    ++opened_total_;
  }
  return Lease(this, std::move(connection));
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection) idle_.push_back(std::move(connection));
  --leased_;
  freed_.notify_one();
}

int ConnectionPool::opened_total() const {
  std::lock_guard lock(mutex_);
  return opened_total_;
}

}  // namespace coregate::plugins::odbc
