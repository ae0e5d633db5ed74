#include "daemon/replies/template_text.hpp"

namespace otklik::replies {
namespace {

bool name_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

/// The placeholder name at `i` ("{name}"), or "" when there is none; `end` gets the index after "}".
std::string_view placeholder_at(std::string_view t, std::size_t i, std::size_t& end) {
  std::size_t j = i + 1;
  while (j < t.size() && name_char(t[j])) ++j;
  if (j == i + 1 || j >= t.size() || t[j] != '}') return {};
  end = j + 1;
  return t.substr(i + 1, j - i - 1);
}

}  // namespace

TemplateScan scan_template(std::string_view t) {
  TemplateScan s;
  bool in_blank = false;
  std::size_t blank_start = 0;
  for (std::size_t i = 0; i < t.size();) {
    if (t.compare(i, 2, "[[") == 0) {
      if (in_blank) s.problems.push_back("unbalanced [[ ]]: \"[[\" inside a blank");
      in_blank = true;
      blank_start = i + 2;
      i += 2;
    } else if (t.compare(i, 2, "]]") == 0) {
      if (!in_blank) {
        s.problems.push_back("unbalanced [[ ]]: \"]]\" without \"[[\"");
      } else {
        const std::string_view inside = t.substr(blank_start, i - blank_start);
        if (inside.find_first_not_of(" \t") == std::string_view::npos) s.problems.push_back("empty blank [[]]");
        else s.blanks.emplace_back(inside);
        in_blank = false;
      }
      i += 2;
    } else if (t[i] == '{') {
      std::size_t end = 0;
      const std::string_view name = placeholder_at(t, i, end);
      if (name.empty()) {
        s.problems.push_back("a \"{\" must open a {placeholder}");
        ++i;
      } else {
        s.placeholders.emplace_back(name);
        i = end;
      }
    } else if (t[i] == '}') {
      s.problems.push_back("a \"}\" without \"{\"");
      ++i;
    } else {
      ++i;
    }
  }
  if (in_blank) s.problems.push_back("unbalanced [[ ]]: a blank is not closed with \"]]\"");
  return s;
}

std::vector<std::string> blanks_in(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while ((i = text.find("[[", i)) != std::string_view::npos) {
    const std::size_t end = text.find("]]", i + 2);
    if (end == std::string_view::npos) {
      out.emplace_back(text.substr(i + 2));
      break;
    }
    out.emplace_back(text.substr(i + 2, end - i - 2));
    i = end + 2;
  }
  return out;
}

std::string fill_template(std::string_view t, const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size();) {
    if (t[i] == '{') {
      std::size_t end = 0;
      const std::string_view name = placeholder_at(t, i, end);
      if (!name.empty()) {
        if (auto it = values.find(name); it != values.end()) {
          out += it->second;
          i = end;
          continue;
        }
      }
    }
    out += t[i++];
  }
  return out;
}

}  // namespace otklik::replies
