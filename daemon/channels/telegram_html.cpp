#include "daemon/channels/telegram_html.hpp"

#include "daemon/channels/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace otklik::channels {
namespace {

std::string escape_impl(std::string_view text) {
  const std::string clean = chat_safe_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string tg_strong(std::string_view escaped) { return fmt::format("<b>{}</b>", escaped); }
std::string tg_emphasis(std::string_view escaped) { return fmt::format("<i>{}</i>", escaped); }
std::string tg_link(std::string_view url, std::string_view label) {
  return fmt::format("<a href=\"{}\">{}</a>", escape_telegram_attribute(url), label);
}

constexpr Markup kTelegram{escape_telegram_html, tg_strong, tg_emphasis, tg_link};

/// One lexical unit of the HTML: a tag, an entity, or one UTF-8 encoded character.
struct Token {
  enum class Kind { text, open, close } kind = Kind::text;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t units = 0;   ///< UTF-16 units after entity parsing (0 for tags)
  char32_t ch = 0;         ///< for text: the decoded character (entities decoded)
  std::string name;        ///< for tags: lower-case name
};

bool parse_entity(std::string_view html, std::size_t pos, std::size_t& end, char32_t& cp) {
  const std::size_t semi = html.find(';', pos);
  if (semi == std::string_view::npos || semi - pos > 12) return false;
  const std::string_view body = html.substr(pos + 1, semi - pos - 1);
  if (body == "lt") cp = '<';
  else if (body == "gt") cp = '>';
  else if (body == "amp") cp = '&';
  else if (body == "quot") cp = '"';
  else if (body.size() >= 2 && body[0] == '#') {
    const bool hex = body[1] == 'x' || body[1] == 'X';
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return false;
    char32_t v = 0;
    for (char c : digits) {
      const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : hex && std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10
                                                                            : -1;
      if (d < 0) return false;
      v = v * (hex ? 16 : 10) + static_cast<char32_t>(d);
      if (v > 0x10FFFF) return false;
    }
    cp = v;
  } else {
    return false;
  }
  end = semi + 1;
  return true;
}

std::vector<Token> tokenize(std::string_view html) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < html.size()) {
    Token t;
    t.begin = pos;
    const char c = html[pos];
    if (c == '<') {
      const std::size_t gt = html.find('>', pos);
      const bool closing = pos + 1 < html.size() && html[pos + 1] == '/';
      const std::size_t name_at = pos + (closing ? 2 : 1);
      if (gt != std::string_view::npos && name_at < gt && std::isalpha(static_cast<unsigned char>(html[name_at]))) {
        std::size_t n = name_at;
        while (n < gt && (std::isalnum(static_cast<unsigned char>(html[n])) || html[n] == '-')) ++n;
        t.kind = closing ? Token::Kind::close : Token::Kind::open;
        t.name.assign(html.substr(name_at, n - name_at));
        std::transform(t.name.begin(), t.name.end(), t.name.begin(), [](unsigned char x) { return std::tolower(x); });
        t.end = gt + 1;
        tokens.push_back(std::move(t));
        pos = gt + 1;
        continue;
      }
    } else if (c == '&') {
      std::size_t end = 0;
      char32_t cp = 0;
      if (parse_entity(html, pos, end, cp)) {
        t.end = end;
        t.ch = cp;
        t.units = utf16_units(cp);
        tokens.push_back(std::move(t));
        pos = end;
        continue;
      }
    }
    t.ch = next_code_point(html, pos);
    t.end = pos;
    t.units = utf16_units(t.ch);
    tokens.push_back(std::move(t));
  }
  return tokens;
}

struct OpenTag {
  std::string name;
  std::string_view text;  ///< the opening tag as written, attributes included
};

void apply(std::vector<OpenTag>& stack, const Token& t, std::string_view html) {
  if (t.kind == Token::Kind::open) {
    stack.push_back({t.name, html.substr(t.begin, t.end - t.begin)});
  } else if (t.kind == Token::Kind::close) {
    const auto it = std::find_if(stack.rbegin(), stack.rend(), [&](const OpenTag& o) { return o.name == t.name; });
    if (it != stack.rend()) stack.erase(std::next(it).base(), stack.end());
  }
}

}  // namespace

std::string escape_telegram_html(std::string_view text) { return escape_impl(text); }
std::string escape_telegram_attribute(std::string_view value) { return escape_impl(value); }

const Markup& telegram_markup() noexcept { return kTelegram; }

std::string render_telegram_html(const AlertContent& content, const Strings& strings) {
  return render_alert(content, strings, kTelegram).joined();
}

std::string telegram_visible_text(std::string_view html) {
  std::string out;
  for (const auto& t : tokenize(html)) {
    if (t.kind == Token::Kind::text) append_utf8(out, t.ch);
  }
  return out;
}

std::size_t telegram_length(std::string_view html) {
  std::size_t units = 0;
  for (const auto& t : tokenize(html)) units += t.units;
  return units;
}

std::vector<std::string> split_telegram_html(std::string_view html, std::size_t max_units) {
  max_units = std::max<std::size_t>(max_units, 2);  // room for one surrogate pair
  const std::vector<Token> tokens = tokenize(html);
  std::vector<std::string> parts;
  std::vector<OpenTag> stack;
  std::size_t i = 0;
  while (i < tokens.size()) {
    // Scan forward from i while the part fits, remembering the best cut of each kind.
    std::size_t units = 0;
    std::size_t hard = i;
    std::size_t cut_space = 0, cut_line = 0, cut_para = 0;  // token index after the cut; 0 = none
    std::size_t j = i;
    for (; j < tokens.size(); ++j) {
      const Token& t = tokens[j];
      if (units + t.units > max_units) break;
      units += t.units;
      if (t.kind != Token::Kind::text) continue;
      hard = j + 1;
      if (units * 2 < max_units) continue;  // too early for a preferred cut
      if (t.ch == '\n') {
        cut_line = j + 1;
        if (j > i && tokens[j - 1].kind == Token::Kind::text && tokens[j - 1].ch == '\n') cut_para = j + 1;
      } else if (t.ch == ' ') {
        cut_space = j + 1;
      }
    }
    std::size_t cut = tokens.size();
    if (j < tokens.size()) {
      cut = cut_para ? cut_para : cut_line ? cut_line : cut_space ? cut_space : hard;
      if (cut <= i) cut = j;  // only tags so far (cannot happen with max_units >= 2)
    }
    if (cut < tokens.size()) {
      // Keep closing tags with the text they close; leave opening tags for the next part.
      while (cut < tokens.size() && tokens[cut].kind == Token::Kind::close) ++cut;
      std::size_t back = cut;
      while (back > i && tokens[back - 1].kind == Token::Kind::open) --back;
      if (std::any_of(tokens.begin() + static_cast<std::ptrdiff_t>(i), tokens.begin() + static_cast<std::ptrdiff_t>(back),
                      [](const Token& t) { return t.kind == Token::Kind::text; })) {
        cut = back;
      }
    }

    std::string part;
    bool visible = false;
    for (const auto& o : stack) part.append(o.text);
    for (std::size_t k = i; k < cut; ++k) {
      const Token& t = tokens[k];
      part.append(html.substr(t.begin, t.end - t.begin));
      if (t.kind == Token::Kind::text) visible = true;
      apply(stack, t, html);
    }
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) part += fmt::format("</{}>", it->name);
    if (visible) parts.push_back(std::move(part));
    if (cut == i) ++cut;  // defensive: always advance
    i = cut;
  }
  return parts;
}

}  // namespace otklik::channels
