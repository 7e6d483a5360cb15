// `coregate exceptions list|show|replay|discard`: operates the exception queue of a RUNNING gateway
// through its HTTP API (DESIGN §4 "Exceptions", §6; docs/cli.md). The bearer token is read from an
// environment variable, never from the command line, so it stays out of shell history and `ps`.
// Exit 0: done. Exit 1: the gateway answered with a problem (printed). Exit 2: bad usage, no
// token, the gateway unreachable or answering something that is not JSON.
#include <boost/json.hpp>
#include <boost/url/url.hpp>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "gateway/cli/api_client.h"
#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"
#include "gateway/cli/exception_views.h"

namespace coregate::cli {
namespace {

namespace json = boost::json;

constexpr int kOk = 0;
constexpr int kProblem = 1;
constexpr int kUsage = 2;
constexpr const char* kDefaultUrl = "http://127.0.0.1:8080";
constexpr const char* kDefaultTokenEnv = "COREGATE_TOKEN";

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  bool takes_id;
};

constexpr Subcommand kSubcommands[] = {
    {"list", "list exceptions, filtered by adapter, cause, type or status", false},
    {"show", "show one exception: its outcome, mapped request, every attempt and resolution", true},
    {"replay", "replay an exception's outcome, optionally with corrected data", true},
    {"discard", "discard an exception with a reason (audited)", true},
};

void print_overview(std::ostream& out) {
  out << "usage: coregate exceptions <list|show|replay|discard> [options]\n\n"
         "Operate the exception queue of a running gateway over its HTTP API.\n"
         "(coregate exceptions <subcommand> --help for its options)\n\n";
  for (const Subcommand& s : kSubcommands) {
    out << "  " << s.name << std::string(10 - s.name.size(), ' ') << s.summary << "\n";
  }
}

void add_common_options(Arguments& a) {
  a.option("url", "URL",
           std::string("the gateway's API (default: $COREGATE_URL, else ") + kDefaultUrl + ")")
      .option("token-env", "NAME",
              std::string("the environment variable that holds the bearer token (default: ") +
                  kDefaultTokenEnv + ")")
      .option("timeout", "SECONDS", "give up on a request after this long (default: 10)")
      .flag("json", "print the gateway's JSON answer instead of a table or text");
}

// What a subcommand needs from the gateway, or the exit code when it cannot be had.
struct Session {
  std::optional<ApiClient> client;
  int failure = kOk;
};

Session open_session(const Arguments& a, std::ostream& err) {
  Session session;
  auto usage = [&](const std::string& message) {
    err << "coregate exceptions: " << message << "\n";
    session.failure = kUsage;
    return std::move(session);
  };
  const char* env_url = std::getenv("COREGATE_URL");
  const std::string url =
      a.get_or("url", env_url != nullptr && *env_url != '\0' ? env_url : kDefaultUrl);
  std::string url_error;
  auto endpoint = parse_api_url(url, url_error);
  if (!endpoint) return usage(url_error);

  double seconds = 10;
  if (auto text = a.get("timeout")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (ec != std::errc() || end != text->data() + text->size() || !(seconds > 0) ||
        seconds > 3600) {
      return usage("--timeout must be a number of seconds between 0 and 3600, not '" + *text + "'");
    }
  }
  const std::string token_env = a.get_or("token-env", kDefaultTokenEnv);
  if (token_env.empty()) return usage("--token-env needs a variable name");
  const char* token = std::getenv(token_env.c_str());
  if (token == nullptr || *token == '\0') {
    return usage("environment variable " + token_env +
                 " is not set; put the gateway's bearer token in it (or name another variable "
                 "with --token-env)");
  }
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000 + 0.5));
  session.client.emplace(std::move(*endpoint), token,
                         std::max(timeout, std::chrono::milliseconds(1)));
  return session;
}

// The JSON object of a successful answer, or the exit code after saying what went wrong.
struct Answer {
  json::object body;
  std::string text;  // the body as received, for --json
  int failure = kOk;
};

std::string snippet(std::string_view body) {
  std::string text(body.substr(0, 200));
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return body.size() > 200 ? text + "..." : text;
}

void print_problem(const json::object& problem, unsigned status, std::ostream& err) {
  err << "coregate exceptions: " << status;
  if (problem.contains("title")) err << " " << field_text(problem, "title");
  if (problem.contains("detail")) err << ": " << field_text(problem, "detail");
  err << "\n";
  if (const auto* errors = problem.if_contains("errors"); errors && errors->is_array()) {
    for (const auto& item : errors->get_array()) {
      if (!item.is_object()) continue;
      err << "  " << field_text(item.get_object(), "pointer") << ": "
          << field_text(item.get_object(), "message") << "\n";
    }
  }
}

Answer read_answer(ApiResult result, std::string_view request, const ApiClient& client,
                   std::ostream& err) {
  Answer answer;
  if (!result.ok()) {
    err << "coregate exceptions: " << result.error << "\n";
    answer.failure = kUsage;
    return answer;
  }
  ApiAnswer& http = *result.answer;
  boost::system::error_code ec;
  json::value parsed = json::parse(http.body, ec);
  const bool success = http.status >= 200 && http.status < 300;
  if (ec || !parsed.is_object()) {
    err << "coregate exceptions: " << request << " at " << client.endpoint().url << " answered "
        << http.status << " with "
        << (http.content_type.empty() ? std::string("no content type") : http.content_type)
        << ", not a JSON object" << (http.body.empty() ? "" : ": " + snippet(http.body)) << "\n";
    answer.failure = kUsage;
    return answer;
  }
  if (!success) {
    print_problem(parsed.get_object(), http.status, err);
    answer.failure = kProblem;
    return answer;
  }
  answer.body = std::move(parsed.get_object());
  answer.text = std::move(http.body);
  return answer;
}

void print_raw(std::ostream& out, const std::string& text) {
  out << text;
  if (text.empty() || text.back() != '\n') out << "\n";
}

std::string exception_path(std::string_view id, std::string_view action = {}) {
  boost::urls::url target("/v1/exceptions");
  target.segments().push_back(id);
  if (!action.empty()) target.segments().push_back(action);
  return std::string(target.buffer());
}

int run_list(const Arguments& a, ApiClient& client, std::ostream& out, std::ostream& err) {
  if (auto status = a.get("status")) {
    if (*status != "open" && *status != "replayed" && *status != "discarded") {
      err << "coregate exceptions list: --status must be open, replayed or discarded, not '"
          << *status << "'\n";
      return kUsage;
    }
  }
  if (auto limit = a.get("limit")) {
    int value = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1) {
      err << "coregate exceptions list: --limit must be a positive integer, not '" << *limit
          << "'\n";
      return kUsage;
    }
  }
  const bool all = a.has_flag("all");
  json::array items;
  std::optional<std::string> cursor;
  std::set<std::string> cursors_seen;
  bool more = false;
  for (;;) {
    boost::urls::url target("/v1/exceptions");
    for (const char* name : {"adapter", "cause", "type", "status", "limit"}) {
      if (auto value = a.get(name)) target.params().append({name, *value});
    }
    if (cursor) target.params().append({"cursor", *cursor});
    Answer page = read_answer(client.get(target.buffer()), "GET /v1/exceptions", client, err);
    if (page.failure != kOk) return page.failure;
    const auto* page_items = page.body.if_contains("items");
    if (page_items == nullptr || !page_items->is_array()) {
      err << "coregate exceptions: the answer to GET /v1/exceptions has no \"items\" array\n";
      return kUsage;
    }
    const auto* next = page.body.if_contains("next_cursor");
    const bool has_next = next != nullptr && next->is_string() && !next->get_string().empty();
    if (!all) {
      if (a.has_flag("json")) {
        print_raw(out, page.text);
        return kOk;
      }
      items = page_items->get_array();
      more = has_next;
      break;
    }
    for (const auto& item : page_items->get_array()) items.push_back(item);
    if (!has_next) break;
    cursor = std::string(next->get_string());
    if (!cursors_seen.insert(*cursor).second) {
      err << "coregate exceptions: the gateway at " << client.endpoint().url
          << " returned next_cursor '" << *cursor << "' twice; stopping\n";
      return kUsage;
    }
  }
  if (a.has_flag("json")) {
    out << json::serialize(json::object{{"items", std::move(items)}}) << "\n";
    return kOk;
  }
  print_exception_table(items, out);
  if (more) out << "(more exceptions follow: --all lists every page)\n";
  return kOk;
}

int run_show(const Arguments& a, const std::string& id, ApiClient& client, std::ostream& out,
             std::ostream& err) {
  Answer answer =
      read_answer(client.get(exception_path(id)), "GET /v1/exceptions/{id}", client, err);
  if (answer.failure != kOk) return answer.failure;
  if (a.has_flag("json")) {
    print_raw(out, answer.text);
  } else {
    print_exception_detail(answer.body, out);
  }
  return kOk;
}

int run_replay(const Arguments& a, const std::string& id, ApiClient& client, std::ostream& out,
               std::ostream& err) {
  json::object body;
  if (auto file = a.get("data")) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) {
      err << "coregate exceptions replay: cannot read --data file " << *file << "\n";
      return kUsage;
    }
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    json::value data = json::parse(text.str(), ec);
    if (ec) {
      err << "coregate exceptions replay: --data file " << *file << " is not JSON: " << ec.message()
          << "\n";
      return kUsage;
    }
    if (!data.is_object()) {
      err << "coregate exceptions replay: --data file " << *file
          << " must hold a JSON object (the corrected outcome data)\n";
      return kUsage;
    }
    body["data"] = std::move(data);
  }
  Answer answer = read_answer(client.post_json(exception_path(id, "replay"), json::serialize(body)),
                              "POST /v1/exceptions/{id}/replay", client, err);
  if (answer.failure != kOk) return answer.failure;
  if (a.has_flag("json")) {
    print_raw(out, answer.text);
  } else {
    out << "exception " << id << " replayed";
    if (answer.body.contains("outcome_id")) {
      out << " as outcome " << field_text(answer.body, "outcome_id");
    }
    out << "\n";
  }
  return kOk;
}

int run_discard(const Arguments& a, const std::string& id, ApiClient& client, std::ostream& out,
                std::ostream& err) {
  const std::string reason = *a.get("reason");
  Answer answer = read_answer(client.post_json(exception_path(id, "discard"),
                                               json::serialize(json::object{{"reason", reason}})),
                              "POST /v1/exceptions/{id}/discard", client, err);
  if (answer.failure != kOk) return answer.failure;
  if (a.has_flag("json")) {
    print_raw(out, answer.text);
  } else {
    out << "exception " << id << " discarded\n";
  }
  return kOk;
}

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

int run_exceptions_command(Args args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    print_overview(err);
    return kUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview(out);
    return kOk;
  }
  const Subcommand* sub = nullptr;
  for (const Subcommand& s : kSubcommands) {
    if (s.name == args[0]) sub = &s;
  }
  if (sub == nullptr) {
    err << "coregate exceptions: unknown subcommand '" << args[0] << "'\n\n";
    print_overview(err);
    return kUsage;
  }
  Arguments a("exceptions " + std::string(sub->name), std::string(sub->summary));
  if (sub->takes_id) a.positionals("ID", "the exception's id (as `exceptions list` shows it)");
  if (sub->name == "list") {
    a.option("adapter", "A", "only exceptions of this adapter")
        .option("cause", "C",
                "only this cause: rejected, retries_exhausted, max_age_exceeded, "
                "ambiguous_unresolved or mapping_failed")
        .option("type", "T", "only this outcome type")
        .option("status", "S", "only this status: open, replayed or discarded")
        .option("limit", "N", "at most N per page (the gateway's default otherwise)")
        .flag("all", "follow next_cursor and list every page");
  } else if (sub->name == "replay") {
    a.option("data", "FILE", "corrected outcome data: a JSON object sent as the replay's data");
  } else if (sub->name == "discard") {
    a.option("reason", "TEXT", "why it is discarded (required; recorded in the audit log)", true);
  }
  add_common_options(a);
  if (!a.parse(args.subspan(1), err)) return kUsage;
  if (a.help_requested()) {
    a.print_usage(out);
    return kOk;
  }
  const std::string prefix = "coregate exceptions " + std::string(sub->name) + ": ";
  if (sub->takes_id && a.positional().size() != 1) {
    err << prefix << (a.positional().empty() ? "needs the exception ID" : "takes one ID") << "\n\n";
    a.print_usage(err);
    return kUsage;
  }
  if (sub->takes_id && blank(a.positional().front())) {
    err << prefix << "the exception ID must not be empty\n";
    return kUsage;
  }
  if (sub->name == "discard" && blank(*a.get("reason"))) {
    err << prefix << "--reason must not be empty\n";
    return kUsage;
  }
  Session session = open_session(a, err);
  if (session.failure != kOk) return session.failure;
  ApiClient& client = *session.client;
  if (sub->name == "list") return run_list(a, client, out, err);
  const std::string& id = a.positional().front();
  if (sub->name == "show") return run_show(a, id, client, out, err);
  if (sub->name == "replay") return run_replay(a, id, client, out, err);
  return run_discard(a, id, client, out, err);
}

}  // namespace coregate::cli
