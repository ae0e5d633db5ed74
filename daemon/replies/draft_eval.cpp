#include "daemon/replies/draft_eval.hpp"

#include "daemon/core/utf8.hpp"

#include <algorithm>

namespace otklik::replies {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(b, i - b));
      b = i + 1;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<LabelledComplaint>> parse_claims_file(std::string_view content, std::string_view file_name) {
  std::vector<LabelledComplaint> out;
  std::vector<std::string> problems;
  auto report = [&](int line, const std::string& what) {
    problems.push_back(std::string(file_name) + ":" + std::to_string(line) + ": " + what);
  };
  auto finish = [&] {
    if (!out.empty() && out.back().claims.empty()) report(out.back().line, "a complaint without claims");
  };
  int n = 0;
  std::size_t search_from = 0;
  for (std::string_view line : split(content, '\n')) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line.front() == '#') continue;
    const std::vector<std::string_view> f = split(line, '\t');
    if (f[0] == "text" && f.size() == 2) {
      finish();
      out.push_back({std::string(f[1]), {}, n});
      search_from = 0;
    } else if (f[0] == "claim" && f.size() == 3) {
      if (out.empty()) {
        report(n, "a claim before any text line");
        continue;
      }
      GoldClaim c;
      c.line = n;
      c.text = std::string(trim(f[2]));
      const std::string_view topics = trim(f[1]);
      if (topics != "-") {
        for (const auto t : split(topics, ',')) {
          const std::string_view id = trim(t);
          if (id.empty() || !std::all_of(id.begin(), id.end(), [](char ch) {
                return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
              })) {
            report(n, "topics must be \"-\" or a comma list of topic ids");
            break;
          }
          c.topics.emplace_back(id);
        }
      }
      const std::string& text = out.back().text;
      std::size_t at = c.text.empty() ? std::string::npos : text.find(c.text, search_from);
      if (at == std::string::npos && !c.text.empty()) at = text.find(c.text);
      if (at == std::string::npos) {
        report(n, "the claim text is not in the complaint's text");
        continue;
      }
      c.begin = at;
      c.end = at + c.text.size();
      search_from = at;
      out.back().claims.push_back(std::move(c));
    } else {
      report(n, "expected text<TAB>COMPLAINT or claim<TAB>TOPICS<TAB>CLAIM TEXT");
    }
  }
  finish();
  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) detail += (detail.empty() ? "" : "\n") + p;
    return Failure(errc::parse_failed, detail);
  }
  return out;
}

std::vector<ClaimVerdict> judge_draft(const LabelledComplaint& complaint, const understanding::Understanding& u,
                                      const Draft& draft) {
  std::vector<ClaimVerdict> out;
  for (const GoldClaim& gold : complaint.claims) {
    ClaimVerdict v;
    for (const DraftPart& part : draft.parts) {
      if (part.role != PartRole::claim || part.claim < 0 || static_cast<std::size_t>(part.claim) >= u.claims.size())
        continue;
      const understanding::Claim& c = u.claims[static_cast<std::size_t>(part.claim)];
      if (c.begin >= gold.end || gold.begin >= c.end) continue;
      v.addressed = true;
      const bool own = gold.topics.empty()
                           ? part.topic.empty()
                           : std::find(gold.topics.begin(), gold.topics.end(), part.topic) != gold.topics.end();
      v.own_topic = v.own_topic || own;
    }
    out.push_back(v);
  }
  return out;
}

std::string expected_locale(std::string_view text) {
  std::size_t cyrillic = 0, latin = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = decode_utf8(text, i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++latin;
    else if (c >= 0x400 && c <= 0x4FF) ++cyrillic;
  }
  return cyrillic >= latin ? "ru" : "en";
}

}  // namespace otklik::replies
