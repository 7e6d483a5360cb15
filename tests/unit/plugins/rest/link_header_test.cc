#include "plugins/rest/link_header.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "plugins/rest/json_pointer.h"

namespace coregate::plugins::rest {
namespace {

TEST(LinkHeader, GithubStyle) {
  std::string v =
      R"(<https://api.example.com/x?page=2>; rel="next", <https://api.example.com/x?page=9>; rel="last")";
  EXPECT_EQ(*link_with_rel(v, "next"), "https://api.example.com/x?page=2");
  EXPECT_EQ(*link_with_rel(v, "last"), "https://api.example.com/x?page=9");
  EXPECT_FALSE(link_with_rel(v, "prev"));
}

TEST(LinkHeader, ParametersQuotingAndSeveralRelations) {
  auto links =
      parse_link_header(R"(</a>; title="x, y; z"; rel="prev NEXT", </b>;rel=last , garbage, </c>)");
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].target, "/a");
  EXPECT_EQ(links[0].rels, (std::vector<std::string>{"prev", "next"}));
  EXPECT_EQ(links[1].rels, (std::vector<std::string>{"last"}));
  EXPECT_TRUE(links[2].rels.empty());
  EXPECT_EQ(*link_with_rel(R"(</a>; rel="prev NEXT")", "next"), "/a");
}

TEST(LinkHeader, MalformedInputNeverThrows) {
  for (const char* v : {"", "<", "<x", "<x>;", "<x>; rel", "<x>; rel=\"", ",,,", "<>; rel=next"}) {
    EXPECT_NO_THROW((void)parse_link_header(v)) << v;
  }
  EXPECT_EQ(*link_with_rel("<>; rel=next", "next"), "");
}

TEST(JsonPointer, ScalarsAndEscapes) {
  auto doc = boost::json::parse(R"({"a": {"b/c": [1, "two", true, null, {}]}, "m~n": 5})");
  EXPECT_EQ(*scalar_text(doc, "/a/b~1c/0"), "1");
  EXPECT_EQ(*scalar_text(doc, "/a/b~1c/1"), "two");
  EXPECT_EQ(*scalar_text(doc, "/a/b~1c/2"), "true");
  EXPECT_FALSE(scalar_text(doc, "/a/b~1c/3"));
  EXPECT_FALSE(scalar_text(doc, "/a/b~1c/4"));
  EXPECT_EQ(*scalar_text(doc, "/m~0n"), "5");
  EXPECT_FALSE(scalar_text(doc, "/a/b~1c/9"));
  EXPECT_FALSE(scalar_text(doc, "a"));
  EXPECT_FALSE(scalar_text(doc, "/x~2"));
  EXPECT_EQ(find_at(doc, ""), &doc);
  EXPECT_FALSE(is_valid_pointer("/a~"));
}

}  // namespace
}  // namespace coregate::plugins::rest
