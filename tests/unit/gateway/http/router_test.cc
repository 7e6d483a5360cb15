#include "gateway/http/router.h"

#include <gtest/gtest.h>

namespace coregate::http {
namespace {

Response dispatch(const Router& router, Verb method, const std::string& target) {
  Response out;
  Request request{method, target, 11};
  router.dispatch(std::move(request), Responder([&](Response&& r) { out = std::move(r); }));
  return out;
}

TEST(Router, MatchesLiteralAndCapturedSegments) {
  Router router;
  std::string seen;
  router.add(Verb::get, "/v1/outcomes/{id}", [&](IncomingRequest&& r, Responder s) {
    seen = std::string(r.params.get("id")) + "|" + r.query;
    s.send(Response{Status::ok, 11});
  });
  router.add(Verb::get, "/v1/outcomes", [&](IncomingRequest&&, Responder s) {
    s.send(Response{Status::accepted, 11});
  });
  EXPECT_EQ(dispatch(router, Verb::get, "/v1/outcomes/abc%2Fdef?x=1").result(), Status::ok);
  EXPECT_EQ(seen, "abc/def|x=1");
  EXPECT_EQ(dispatch(router, Verb::get, "/v1/outcomes").result(), Status::accepted);
  EXPECT_EQ(dispatch(router, Verb::get, "/v1/outcomes/").result(),
            Status::not_found);  // empty capture
  EXPECT_EQ(dispatch(router, Verb::get, "/v1/outcomes/a/b").result(), Status::not_found);
  EXPECT_EQ(dispatch(router, Verb::get, "/v1/outcomes/%zz").result(), Status::not_found);
}

TEST(Router, WrongMethodIs405WithAllow) {
  Router router;
  router.add(Verb::post, "/v1/outcomes", [](IncomingRequest&&, Responder s) {
    s.send(Response{Status::ok, 11});
  });
  router.add(Verb::get, "/v1/outcomes", [](IncomingRequest&&, Responder s) {
    s.send(Response{Status::ok, 11});
  });
  auto response = dispatch(router, Verb::put, "/v1/outcomes");
  EXPECT_EQ(response.result(), Status::method_not_allowed);
  EXPECT_EQ(response[boost::beast::http::field::allow], "POST, GET");
  EXPECT_EQ(response[boost::beast::http::field::content_type], "application/problem+json");
}

TEST(Router, AHandlerThatThrowsOrForgetsToAnswerGives500) {
  Router router;
  router.add(Verb::get, "/throws",
             [](IncomingRequest&&, Responder) { throw std::runtime_error("boom"); });
  router.add(Verb::get, "/forgets", [](IncomingRequest&&, Responder) {});
  EXPECT_EQ(dispatch(router, Verb::get, "/throws").result(), Status::internal_server_error);
  EXPECT_EQ(dispatch(router, Verb::get, "/forgets").result(), Status::internal_server_error);
}

TEST(Router, ResponderAnswersOnce) {
  int answers = 0;
  {
    Responder responder([&](Response&&) { ++answers; });
    Responder copy = responder;
    copy.send(Response{Status::ok, 11});
    responder.send(Response{Status::ok, 11});
    EXPECT_TRUE(responder.answered());
  }
  EXPECT_EQ(answers, 1);
}

TEST(QueryParam, DecodesAndFindsParameters) {
  EXPECT_EQ(query_param("a=1&subject=acct%2042&b", "subject"), "acct 42");
  EXPECT_EQ(query_param("a=1&b", "b"), "");
  EXPECT_EQ(query_param("x=a+b", "x"), "a b");
  EXPECT_EQ(query_param("a=1", "c"), std::nullopt);
}

}  // namespace
}  // namespace coregate::http
