// Concurrent workflow clients posting outcomes the way a real one must when the gateway can die
// under it: each outcome has its own Idempotency-Key, and a request whose answer was lost
// (connection refused, reset, closed before the answer) is sent again with the SAME key and body
// until a definitive answer arrives. 409 (the key is still being accepted) and 429/503 (busy) are
// retried too. The gateway's port is read before every send, so posters follow restarts.
//
// Thread-safety: start() once, then progress() and the figures may be read from any thread;
// records() only after wait() returned.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace coregate::testing::e2e {

struct CampaignOptions {
  int total = 0;    // outcomes 0..total-1
  int threads = 8;  // posters (each its own keep-alive connection)
  std::string token;
  std::function<std::string(int)> key_of;   // the Idempotency-Key of outcome i
  std::function<std::string(int)> body_of;  // its JSON body (the same on every resend)
  std::function<uint16_t()> port;           // the gateway's current port, 0 while it is down
  std::chrono::milliseconds deadline{std::chrono::minutes(2)};  // give up re-posting after this
};

// The fate of one outcome's POST, after every resend.
struct PostRecord {
  int final_status = 0;  // 202, or the definitive refusal, or 0 when the deadline passed
  std::string outcome_id;
  std::string detail;  // the refusal's body
  int sends = 0;       // requests sent for this key (1 = answered at the first try)
};

struct CampaignFigures {
  std::atomic<int> answered{0};           // outcomes with a definitive answer
  std::atomic<int> accepted{0};           // 202
  std::atomic<int> resent_after_loss{0};  // resends after a connection error / lost answer
  std::atomic<int> replayed{0};           // 202 with Idempotent-Replayed: true
  std::atomic<int> conflicts{0};          // 409 answers (retried)
  std::atomic<int> busy{0};               // 429/503 answers (retried)
};

class OutcomeCampaign {
 public:
  explicit OutcomeCampaign(CampaignOptions options);
  ~OutcomeCampaign();  // joins the posters
  OutcomeCampaign(const OutcomeCampaign&) = delete;
  OutcomeCampaign& operator=(const OutcomeCampaign&) = delete;

  void start();
  void wait();
  bool finished() const { return figures_.answered.load() == options_.total; }
  int answered() const { return figures_.answered.load(); }
  const CampaignFigures& figures() const { return figures_; }
  const std::vector<PostRecord>& records() const { return records_; }

 private:
  void post_all(int first, int step);
  PostRecord post_one(int index, std::chrono::steady_clock::time_point deadline);

  CampaignOptions options_;
  std::vector<PostRecord> records_;
  CampaignFigures figures_;
  std::vector<std::thread> threads_;
};

}  // namespace coregate::testing::e2e
