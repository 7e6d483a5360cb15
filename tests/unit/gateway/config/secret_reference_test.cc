#include "gateway/secrets/secret_reference.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "gateway/secrets/secret_redactor.h"

namespace coregate::secrets {
namespace {

TEST(SecretReference, PlainTextPassesThrough) {
  Expansion e = expand_references("no references here");
  ASSERT_TRUE(e.ok);
  EXPECT_EQ(e.value, "no references here");
  EXPECT_FALSE(e.had_reference);
}

TEST(SecretReference, BadReferencesAreErrors) {
  EXPECT_FALSE(expand_references("${env:UNTERMINATED").ok);
  EXPECT_FALSE(expand_references("${env:}").ok);
  EXPECT_FALSE(expand_references("${file:}").ok);
  EXPECT_FALSE(expand_references("${aws:thing}").ok);
}

TEST(SecretRedactor, RedactsEveryOccurrenceLongestFirst) {
  SecretRedactor r;
  r.remember("abcd");
  r.remember("abcdefgh");
  r.remember("xy");  // too short to be remembered
  EXPECT_EQ(r.redact("k=abcdefgh j=abcd xy"), "k=*** j=*** xy");
}

TEST(SecretRedactor, ExpandedValuesAreRememberedGlobally) {
  setenv("COREGATE_TEST_REMEMBERED", "remembered-secret", 1);
  ASSERT_TRUE(expand_references("${env:COREGATE_TEST_REMEMBERED}").ok);
  EXPECT_EQ(SecretRedactor::global().redact("token remembered-secret"), "token ***");
}

}  // namespace
}  // namespace coregate::secrets
