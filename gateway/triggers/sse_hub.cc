#include "gateway/triggers/sse_hub.h"

#include <algorithm>

#include "gateway/logging/logging.h"

namespace coregate::triggers {
namespace {

constexpr size_t kMaxUnsentBytes = 1024 * 1024;
constexpr size_t kReadBatch = 500;
// A stream whose head never reached a connection (the client left first) is dropped after this.
constexpr auto kAttachDeadline = std::chrono::seconds(30);

}  // namespace

SseHub::SseHub(TriggerStore& store, LogSignal& signal, std::chrono::milliseconds heartbeat)
    : store_(store), signal_(signal), heartbeat_(heartbeat) {}

SseHub::~SseHub() {
  stop();
}

void SseHub::start() {
  thread_ = std::thread([this] { run(); });
}

void SseHub::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  signal_.interrupt();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  for (auto& client : incoming_) client.channel->close();
  incoming_.clear();
}

void SseHub::add(std::shared_ptr<http::StreamChannel> channel, int64_t after,
                 std::vector<std::string> types) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      channel->close();
      return;
    }
    incoming_.push_back(Client{std::move(channel), after, std::move(types), now, now});
  }
  signal_.interrupt();
}

size_t SseHub::clients() const {
  std::lock_guard lock(mutex_);
  return count_;
}

bool SseHub::feed(Client& client, std::chrono::steady_clock::time_point now) {
  auto& channel = *client.channel;
  if (channel.closed()) return false;
  if (!channel.attached()) return now - client.added < kAttachDeadline;
  if (channel.pending_bytes() > kMaxUnsentBytes) return true;
  std::string out;
  for (int round = 0; round < 4 && out.size() < kMaxUnsentBytes; ++round) {
    auto batch = store_.read_after(client.after, kReadBatch);
    for (const auto& event : batch) {
      client.after = event.seq;
      if (!client.types.empty() &&
          std::find(client.types.begin(), client.types.end(), event.type) == client.types.end()) {
        continue;
      }
      out += "id: " + std::to_string(event.seq) + "\nevent: " + event.type + "\ndata: ";
      out += event.event_json;
      out += "\n\n";
    }
    if (batch.size() < kReadBatch) break;
  }
  if (out.empty() && now - client.last_write >= heartbeat_) out = ": heartbeat\n\n";
  if (out.empty()) return true;
  client.last_write = now;
  return channel.write(std::move(out));
}

void SseHub::run() {
  std::vector<Client> clients;
  int64_t seen = 0;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      for (auto& client : incoming_) clients.push_back(std::move(client));
      incoming_.clear();
    }
    const auto now = std::chrono::steady_clock::now();
    try {
      std::erase_if(clients, [&](Client& client) { return !feed(client, now); });
    } catch (const std::exception& e) {
      logging::logger()->warn("trigger stream: store read failed: {}", e.what());
    }
    {
      std::lock_guard lock(mutex_);
      count_ = clients.size();
    }
    seen = signal_.wait_past(seen, std::chrono::milliseconds(clients.empty() ? 1000 : 200));
  }
  for (auto& client : clients) client.channel->close();
}

}  // namespace coregate::triggers
