#include "gateway/http/sse_stream.h"

#include <gtest/gtest.h>

namespace coregate::http {
namespace {

TEST(StreamChannel, QueuesUntilTakenAndEndsOnClose) {
  auto channel = std::make_shared<StreamChannel>();
  int wakes = 0;
  EXPECT_TRUE(channel->write("a"));
  channel->attach([&] { ++wakes; });
  EXPECT_TRUE(channel->write("b"));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(channel->pending_bytes(), 2u);
  bool finished = true;
  EXPECT_EQ(channel->take(finished), "ab");
  EXPECT_FALSE(finished);
  channel->close();
  EXPECT_FALSE(channel->write("c"));
  EXPECT_EQ(channel->take(finished), "");
  EXPECT_TRUE(finished);
}

TEST(StreamChannel, TheServerFindsTheChannelOnceThroughTheResponse) {
  auto channel = std::make_shared<StreamChannel>();
  Response head{Status::ok, 11};
  auto marked = make_stream_response(std::move(head), channel);
  EXPECT_TRUE(is_stream_response(marked));
  EXPECT_EQ(take_stream(marked), channel);
  EXPECT_FALSE(is_stream_response(marked));
  EXPECT_EQ(take_stream(marked), nullptr);
}

TEST(StreamChannel, ADroppedProducerLeavesNothingToTake) {
  Response marked;
  {
    auto channel = std::make_shared<StreamChannel>();
    marked = make_stream_response(Response{Status::ok, 11}, channel);
  }
  EXPECT_EQ(take_stream(marked), nullptr);
}

TEST(StreamChannel, WritesFailAfterTheConnectionIsGone) {
  StreamChannel channel;
  channel.mark_closed();
  EXPECT_FALSE(channel.write("x"));
  EXPECT_TRUE(channel.closed());
}

}  // namespace
}  // namespace coregate::http
