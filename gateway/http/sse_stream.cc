#include "gateway/http/sse_stream.h"

#include <atomic>
#include <unordered_map>

namespace coregate::http {
namespace {

// The mark travels as a private header naming a registry entry: a Response can only carry
// strings, and the Responder's sink must stay one type for every handler.
constexpr char kStreamMark[] = "X-Coregate-Internal-Stream";

struct Registry {
  std::mutex mutex;
  std::unordered_map<std::string, std::weak_ptr<StreamChannel>> channels;
  std::atomic<uint64_t> next{1};
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

bool StreamChannel::write(std::string bytes) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || close_requested_) return false;
    queued_ += bytes;
    wake = wake_;
  }
  if (wake) wake();
  return true;
}

void StreamChannel::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (close_requested_) return;
    close_requested_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

size_t StreamChannel::pending_bytes() const {
  std::lock_guard lock(mutex_);
  return queued_.size();
}

bool StreamChannel::closed() const {
  std::lock_guard lock(mutex_);
  return closed_ || close_requested_;
}

bool StreamChannel::attached() const {
  std::lock_guard lock(mutex_);
  return attached_;
}

void StreamChannel::attach(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  attached_ = true;
  wake_ = std::move(wake);
}

std::string StreamChannel::take(bool& finished) {
  std::lock_guard lock(mutex_);
  std::string out;
  out.swap(queued_);
  finished = close_requested_ && out.empty();
  return out;
}

void StreamChannel::mark_closed() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  queued_.clear();
  wake_ = nullptr;
}

Response make_stream_response(Response head, const std::shared_ptr<StreamChannel>& channel) {
  auto& reg = registry();
  const std::string token = std::to_string(reg.next.fetch_add(1));
  {
    std::lock_guard lock(reg.mutex);
    // Entries whose response never reached a connection: their channels are gone by now.
    for (auto it = reg.channels.begin(); it != reg.channels.end();) {
      it = it->second.expired() ? reg.channels.erase(it) : std::next(it);
    }
    reg.channels.emplace(token, channel);
  }
  head.body().clear();
  head.set(kStreamMark, token);
  return head;
}

bool is_stream_response(const Response& response) {
  return response.find(kStreamMark) != response.end();
}

std::shared_ptr<StreamChannel> take_stream(Response& response) {
  const auto it = response.find(kStreamMark);
  if (it == response.end()) return nullptr;
  const std::string token(it->value());
  response.erase(kStreamMark);
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  const auto found = reg.channels.find(token);
  if (found == reg.channels.end()) return nullptr;
  auto channel = found->second.lock();
  reg.channels.erase(found);
  return channel;
}

}  // namespace coregate::http
