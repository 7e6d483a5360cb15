#include "gateway/logging/logging.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

#include "gateway/config/config_loader.h"
#include "gateway/secrets/secret_redactor.h"

namespace coregate::logging {
namespace {

// Captures what the process writes to stderr while alive.
class StderrCapture {
 public:
  StderrCapture() : path_(std::string(::testing::TempDir()) + "stderr-capture.txt") {
    fflush(stderr);
    saved_ = dup(2);
    int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
  }
  ~StderrCapture() { restore(); }
  std::string text() {
    restore();
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

TEST(Logging, JsonLinesCarryLevelMessageAndAdapter) {
  configure({Format::kJson, spdlog::level::info});
  StderrCapture capture;
  adapter_logger("core")->info("wrote {} rows", 3);
  logger()->warn("gateway line");
  logger()->flush();
  adapter_logger("core")->flush();
  std::istringstream lines(capture.text());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  auto a = boost::json::parse(first).as_object();
  EXPECT_EQ(a.at("adapter"), "core");
  EXPECT_EQ(a.at("msg"), "wrote 3 rows");
  EXPECT_EQ(a.at("level"), "info");
  EXPECT_TRUE(a.contains("ts"));
  auto b = boost::json::parse(second).as_object();
  EXPECT_EQ(b.at("logger"), "coregate");
  EXPECT_EQ(b.at("level"), "warning");
}

TEST(Logging, SecretsAreRedactedFromEveryLine) {
  secrets::SecretRedactor::global().remember("s3cr3t-password");
  configure({Format::kText, spdlog::level::info});
  StderrCapture capture;
  logger()->error("connect failed: PWD=s3cr3t-password;");
  adapter_logger("db")->error("dsn=s3cr3t-password");
  logger()->flush();
  std::string text = capture.text();
  EXPECT_EQ(text.find("s3cr3t-password"), std::string::npos) << text;
  EXPECT_NE(text.find("PWD=***;"), std::string::npos) << text;
  EXPECT_NE(text.find("[db] dsn=***"), std::string::npos) << text;
}

TEST(Logging, LevelFiltersLines) {
  configure({Format::kText, spdlog::level::warn});
  StderrCapture capture;
  logger()->info("hidden");
  logger()->warn("shown");
  logger()->flush();
  std::string text = capture.text();
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("shown"), std::string::npos);
}

TEST(Logging, ConfigSectionIsValidated) {
  auto ok =
      config::config_from_json_text(R"({"log": {"level": "debug", "format": "json"}})", "gw.json");
  LogOptions o = options_from_config(ok);
  EXPECT_EQ(o.level, spdlog::level::debug);
  EXPECT_EQ(o.format, Format::kJson);
  auto bad_level = config::config_from_json_text(R"({"log": {"level": "loud"}})", "gw.json");
  EXPECT_THROW(options_from_config(bad_level), config::ConfigError);
  auto bad_format = config::config_from_json_text(R"({"log": {"format": "yaml"}})", "gw.json");
  EXPECT_THROW(options_from_config(bad_format), config::ConfigError);
  auto typo = config::config_from_json_text(R"({"log": {"levle": "info"}})", "gw.json");
  EXPECT_THROW(options_from_config(typo), config::ConfigError);
}

}  // namespace
}  // namespace coregate::logging
