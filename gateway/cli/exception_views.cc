#include "gateway/cli/exception_views.h"

#include <boost/json/serialize.hpp>

#include <array>
#include <vector>

#include "gateway/cli/pretty_json.h"

namespace coregate::cli {
namespace {

namespace json = boost::json;

// Characters a terminal shows, counting a UTF-8 sequence once (for column alignment).
std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string printable(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  return clean;
}

// At most `limit` characters, cut on a UTF-8 boundary, "..." marking the cut.
std::string truncated(const std::string& text, std::size_t limit) {
  if (display_width(text) <= limit) return text;
  std::size_t kept = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80) {
      if (kept == limit - 3) break;
      ++kept;
    }
  }
  return text.substr(0, end) + "...";
}

void print_row(std::ostream& out, const std::vector<std::string>& cells,
               const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 < cells.size()) line += std::string(widths[i] - display_width(cells[i]) + 2, ' ');
  }
  out << line << "\n";
}

void print_labelled(std::ostream& out, std::string_view label, const std::string& value) {
  out << label << std::string(label.size() < 12 ? 12 - label.size() : 1, ' ') << value << "\n";
}

void print_indented_lines(std::ostream& out, std::string_view text, std::string_view pad) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out << pad << printable(text.substr(start, end - start)) << "\n";
    start = end + 1;
  }
}

void print_attempts(std::ostream& out, const json::array& attempts) {
  out << "\nattempts:\n";
  if (attempts.empty()) out << "  (none)\n";
  for (const auto& item : attempts) {
    const auto* attempt = item.if_object();
    if (attempt == nullptr) continue;
    out << "  #" << field_text(*attempt, "attempt_no") << "  " << field_text(*attempt, "started_at")
        << " -> " << field_text(*attempt, "finished_at") << "  "
        << field_text(*attempt, "classification") << "\n";
    if (const auto* detail = attempt->if_contains("detail"); detail && !detail->is_null()) {
      if (const auto* text = detail->if_string()) {
        print_indented_lines(out, *text, "      ");
      } else {
        print_indented_lines(out, json::serialize(*detail), "      ");
      }
    }
  }
}

void print_resolution(std::ostream& out, const json::object& exception) {
  const auto* value = exception.if_contains("resolution");
  if (value == nullptr || !value->is_object()) return;
  const auto& resolution = value->get_object();
  out << "\nresolution:\n  " << field_text(resolution, "action") << " by "
      << field_text(resolution, "principal") << " at " << field_text(resolution, "at") << "\n";
  if (resolution.contains("reason") && !resolution.at("reason").is_null()) {
    out << "  reason: " << field_text(resolution, "reason") << "\n";
  }
  if (resolution.contains("replay_outcome_id")) {
    out << "  replayed as outcome " << field_text(resolution, "replay_outcome_id") << "\n";
  }
}

void print_json_section(std::ostream& out, std::string_view title, const json::object& exception,
                        std::string_view key) {
  out << "\n" << title << ":\n  ";
  const auto* value = exception.if_contains(key);
  if (value == nullptr || value->is_null()) {
    out << "(none)\n";
    return;
  }
  print_pretty_json(out, *value, 1);
  out << "\n";
}

}  // namespace

std::string field_text(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return "-";
  if (const auto* text = value->if_string()) return text->empty() ? "-" : printable(*text);
  return printable(json::serialize(*value));
}

void print_exception_table(const json::array& items, std::ostream& out) {
  if (items.empty()) {
    out << "no exceptions\n";
    return;
  }
  const std::vector<std::string> header = {"ID",      "CAUSE",    "ADAPTER", "TYPE",
                                           "SUBJECT", "ATTEMPTS", "STATUS",  "LAST ERROR"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : items) {
    static const json::object kEmpty;
    const json::object& e = item.is_object() ? item.get_object() : kEmpty;
    rows.push_back({field_text(e, "id"), field_text(e, "cause"), field_text(e, "adapter"),
                    field_text(e, "type"), field_text(e, "subject"), field_text(e, "attempts"),
                    field_text(e, "status"),
                    truncated(field_text(e, "last_error"), kLastErrorCellWidth)});
  }
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = display_width(header[i]);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  print_row(out, header, widths);
  for (const auto& row : rows) print_row(out, row, widths);
}

void print_exception_detail(const json::object& exception, std::ostream& out) {
  print_labelled(out, "exception", field_text(exception, "id"));
  print_labelled(out, "status", field_text(exception, "status"));
  print_labelled(out, "cause", field_text(exception, "cause"));
  print_labelled(
      out, "outcome",
      field_text(exception, "outcome_id") + " (step " + field_text(exception, "step_index") + ")");
  print_labelled(out, "adapter", field_text(exception, "adapter"));
  print_labelled(out, "type", field_text(exception, "type"));
  print_labelled(out, "subject", field_text(exception, "subject"));
  print_labelled(out, "created", field_text(exception, "created_at"));
  print_labelled(out, "updated", field_text(exception, "updated_at"));
  const auto* attempts = exception.if_contains("attempts");
  if (attempts && attempts->is_array()) {
    print_labelled(out, "attempts", std::to_string(attempts->get_array().size()));
  } else {
    print_labelled(out, "attempts", field_text(exception, "attempts"));
  }
  print_labelled(out, "last error", field_text(exception, "last_error"));
  if (attempts && attempts->is_array()) print_attempts(out, attempts->get_array());
  print_resolution(out, exception);
  print_json_section(out, "outcome", exception, "outcome");
  print_json_section(out, "mapped request", exception, "mapped_request");
}

}  // namespace coregate::cli
