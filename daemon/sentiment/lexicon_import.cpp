#include "daemon/sentiment/lexicon_import.hpp"

#include "daemon/sentiment/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <ostream>
#include <sstream>
#include <unordered_map>
#include <variant>

namespace otklik {
namespace {

constexpr double kMaxWeight = 4.0;
constexpr double kAfinnScale = 4.0 / 5.0;

/// One input record: its fields and the line it starts on.
struct Record {
  std::vector<std::string> fields;
  std::size_t line = 0;
};

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.starts_with('+')) s.remove_prefix(1);
  double v = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || res.ec != std::errc{} || res.ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::string format_weight(double w) {
  double r = std::round(w * 1000) / 1000;
  if (r == 0) r = 0;
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, r);
  return std::string(buf, res.ptr);
}

/// Tabs and line breaks become spaces: the output holds one entry a line, columns by tab.
std::string one_line(std::string_view s) {
  std::string out(trim(s));
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

/// "a, b,,c " -> "a,b,c".
std::string normalize_tags(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    const std::string tag = one_line(s.substr(0, comma));
    if (!tag.empty()) out += (out.empty() ? "" : ",") + tag;
    s.remove_prefix(comma == std::string_view::npos ? s.size() : comma + 1);
  }
  return out;
}

/// Line records split on tabs. `comments`: '#' lines are comments (not in vader/afinn files,
/// whose terms may start with any character).
std::vector<Record> tab_records(std::string_view input, bool comments) {
  std::vector<Record> records;
  std::size_t line = 0;
  while (!input.empty()) {
    ++line;
    const auto nl = input.find('\n');
    std::string_view text = input.substr(0, nl);
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty() || (comments && text.front() == '#')) continue;
    Record r{{}, line};
    while (true) {
      const auto tab = text.find('\t');
      r.fields.emplace_back(text.substr(0, tab));
      if (tab == std::string_view::npos) break;
      text.remove_prefix(tab + 1);
    }
    records.push_back(std::move(r));
  }
  return records;
}

/// RFC 4180 records: fields in double quotes may hold commas, line breaks and "" for a quote.
/// A malformed record (unterminated quote, text after a closing quote) becomes a problem.
std::vector<Record> csv_records(std::string_view in, std::vector<ImportProblem>& problems) {
  std::vector<Record> records;
  std::size_t i = 0;
  std::size_t line = 1;
  while (i < in.size()) {
    const std::size_t start_line = line;
    // Comment or blank line at a record's start.
    const auto eol = in.find('\n', i);
    const std::string_view whole = in.substr(i, eol == std::string_view::npos ? in.size() - i : eol - i);
    if (trim(whole).empty() || whole.front() == '#') {
      i = eol == std::string_view::npos ? in.size() : eol + 1;
      ++line;
      continue;
    }
    Record r{{}, start_line};
    std::string field;
    bool bad = false;
    bool done = false;
    while (!done) {
      field.clear();
      if (i < in.size() && in[i] == '"') {
        ++i;
        bool closed = false;
        while (i < in.size()) {
          const char c = in[i++];
          if (c == '"') {
            if (i < in.size() && in[i] == '"') {
              field += '"';
              ++i;
            } else {
              closed = true;
              break;
            }
          } else {
            if (c == '\n') ++line;
            field += c;
          }
        }
        if (!closed) {
          problems.push_back({start_line, "unterminated quoted field"});
          return records;
        }
        if (i < in.size() && in[i] == '\r') ++i;
        if (i < in.size() && in[i] != ',' && in[i] != '\n') bad = true;
      } else {
        while (i < in.size() && in[i] != ',' && in[i] != '\n') field += in[i++];
        if (!field.empty() && field.back() == '\r') field.pop_back();
      }
      // Skip to the end of a malformed field.
      while (bad && i < in.size() && in[i] != ',' && in[i] != '\n') ++i;
      r.fields.push_back(field);
      if (i >= in.size()) {
        done = true;
      } else if (in[i] == ',') {
        ++i;
      } else {  // '\n'
        ++i;
        ++line;
        done = true;
      }
    }
    if (bad) {
      problems.push_back({start_line, "text after a closing quote"});
      continue;
    }
    records.push_back(std::move(r));
  }
  return records;
}

struct Entry {
  std::string term;
  double weight = 0;
  std::string tags;
  std::string note;
};

/// One record to an entry, or a problem message.
std::variant<Entry, std::string> convert(const Record& r, LexiconFormat format) {
  const auto& f = r.fields;
  if (f.size() < 2) return std::string("expected at least 2 columns (term and weight)");
  Entry e;
  e.term = std::string(trim(f[0]));
  const auto value = parse_number(f[1]);
  if (!value) return "weight '" + one_line(f[1]).substr(0, 40) + "' is not a number";
  switch (format) {
    case LexiconFormat::vader:
      if (std::abs(*value) > kMaxWeight) return "mean " + format_weight(*value) + " outside [-4, 4]";
      e.weight = *value;
      e.tags = "vader,exact";  // VADER and AFINN match exact forms; stems would merge opposite forms
      e.note = f.size() > 2 && parse_number(f[2]) ? "vader sd " + std::string(trim(f[2])) : "vader";
      break;
    case LexiconFormat::afinn:
      if (f.size() > 2) return std::string("expected 2 columns (word and score)");
      if (std::abs(*value) > 5) return "score " + format_weight(*value) + " outside [-5, 5]";
      e.weight = *value * kAfinnScale;
      e.tags = "exact";
      e.note = "afinn " + format_weight(*value);
      break;
    case LexiconFormat::tsv:
    case LexiconFormat::csv:
      if (f.size() > 4) return std::string("more than 4 columns (term, weight, tags, note)");
      if (std::abs(*value) > kMaxWeight) return "weight " + format_weight(*value) + " outside [-4, 4]";
      e.weight = *value;
      if (f.size() > 2) e.tags = normalize_tags(f[2]);
      if (f.size() > 3) e.note = one_line(f[3]);
      break;
  }
  if (e.term.empty()) return std::string("empty term");
  if (e.term.front() == '#') return "term '" + e.term + "' starts with '#', which marks a comment";
  if (e.term.find_first_of("\t\r\n") != std::string::npos) return std::string("term holds a tab or line break");
  return e;
}

std::string_view scale_note(LexiconFormat format) {
  switch (format) {
    case LexiconFormat::vader: return "VADER mean valence kept as is (same [-4, 4] scale)";
    case LexiconFormat::afinn: return "AFINN score in [-5, 5] scaled by 4/5";
    case LexiconFormat::tsv:
    case LexiconFormat::csv: return "weights kept as is";
  }
  return "";
}

}  // namespace

std::optional<LexiconFormat> parse_lexicon_format(std::string_view s) noexcept {
  if (s == "vader") return LexiconFormat::vader;
  if (s == "afinn") return LexiconFormat::afinn;
  if (s == "tsv") return LexiconFormat::tsv;
  if (s == "csv") return LexiconFormat::csv;
  return std::nullopt;
}

std::string_view to_string(LexiconFormat f) noexcept {
  switch (f) {
    case LexiconFormat::vader: return "vader";
    case LexiconFormat::afinn: return "afinn";
    case LexiconFormat::tsv: return "tsv";
    case LexiconFormat::csv: return "csv";
  }
  return "tsv";
}

ImportResult import_lexicon(std::string_view input, LexiconFormat format, std::string_view origin) {
  ImportResult result;
  if (input.starts_with("\xEF\xBB\xBF")) input.remove_prefix(3);
  const bool plain = format == LexiconFormat::vader || format == LexiconFormat::afinn;
  std::vector<Record> records =
      format == LexiconFormat::csv ? csv_records(input, result.problems) : tab_records(input, !plain);
  if (!plain && !records.empty() && records.front().fields.size() >= 2 &&
      trim(records.front().fields[0]) == "term" && !parse_number(records.front().fields[1])) {
    records.erase(records.begin());  // header row
  }
  std::string body;
  // Terms are compared as the engine matches them (NFKC, case folding, ё→е): "O_o" and "o_o"
  // are one term. The value is the first entry's line and spelling.
  std::unordered_map<std::string, std::pair<std::size_t, std::string>> seen;
  for (const Record& r : records) {
    auto converted = convert(r, format);
    if (auto* msg = std::get_if<std::string>(&converted)) {
      result.problems.push_back({r.line, std::move(*msg)});
      continue;
    }
    Entry& e = std::get<Entry>(converted);
    const auto [first, inserted] = seen.try_emplace(sentiment::normalize_term(e.term), r.line, e.term);
    if (!inserted) {
      const auto& [line, term] = first->second;
      result.problems.push_back({r.line, "duplicate term '" + e.term + "'" +
                                             (term == e.term ? "" : " (same as '" + term + "')") +
                                             ", first entry (line " + std::to_string(line) + ") kept"});
      continue;
    }
    body += e.term + '\t' + format_weight(e.weight) + '\t' + e.tags + '\t' + e.note + '\n';
    ++result.entries;
  }
  std::sort(result.problems.begin(), result.problems.end(),
            [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
  result.output = "# Imported by `otklik lexicon import --format " + std::string(to_string(format)) + "` from " +
                  one_line(origin) + ": " + std::to_string(result.entries) + " entries.\n" +
                  "# Weights: " + std::string(scale_note(format)) +
                  ". Check the source's licence before sharing this file.\n" +
                  "# term<TAB>weight<TAB>tags<TAB>note\n" + body;
  return result;
}

Result<ImportResult> import_lexicon_file(const std::filesystem::path& in, const std::filesystem::path& out,
                                         LexiconFormat format) {
  std::ifstream is(in, std::ios::binary);
  if (!is) return Failure(errc::io_error, "cannot read " + in.string());
  std::ostringstream ss;
  ss << is.rdbuf();
  if (is.bad()) return Failure(errc::io_error, "cannot read " + in.string());
  ImportResult result = import_lexicon(ss.str(), format, in.filename().string());
  if (result.entries == 0) {
    std::string detail = "no entry of " + in.string() + " could be read as " + std::string(to_string(format));
    if (!result.problems.empty()) {
      detail += " (line " + std::to_string(result.problems.front().line) + ": " + result.problems.front().message + ")";
    }
    return Failure(errc::invalid_input, std::move(detail));
  }
  std::ofstream os(out, std::ios::binary | std::ios::trunc);
  if (!os || !(os << result.output) || !os.flush()) {
    return Failure(errc::io_error, "cannot write " + out.string());
  }
  return result;
}

int run_lexicon_import(LexiconFormat format, const std::filesystem::path& in,
                       const std::filesystem::path& out_path, std::ostream& out, std::ostream& err) {
  auto result = import_lexicon_file(in, out_path, format);
  if (!result) {
    err << "lexicon import: " << result.error().detail << '\n';
    return 1;
  }
  for (const ImportProblem& p : result->problems) err << in.string() << ':' << p.line << ": " << p.message << '\n';
  out << "imported " << result->entries << " entries to " << out_path.string() << ", skipped "
      << result->problems.size() << '\n';
  return 0;
}

}  // namespace otklik
