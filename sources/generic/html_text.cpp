#include "sources/generic/html_text.hpp"

#include "daemon/core/utf8.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <array>
#include <cstdint>
#include <memory>

namespace otklik {
namespace {

void append_replacement(std::string& out) { out += "\xEF\xBF\xBD"; }

/// Length of the valid UTF-8 sequence at `s[i]`, or 0 when it is invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;  // surrogates are not characters
  return len;
}

bool is_block(std::string_view name) {
  static constexpr std::array<std::string_view, 36> kBlocks = {
      "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
      "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
      "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "td", "th",
      "tbody", "thead", "body"};
  for (auto b : kBlocks)
    if (b == name) return true;
  return false;
}

bool is_dropped(std::string_view name) {
  return name == "script" || name == "style" || name == "head" || name == "noscript" ||
         name == "template" || name == "iframe" || name == "object";
}

void walk(const xmlNode* node, std::string& out) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    switch (n->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (n->content != nullptr) out += reinterpret_cast<const char*>(n->content);
        break;
      case XML_ELEMENT_NODE: {
        const std::string_view name = n->name ? reinterpret_cast<const char*>(n->name) : "";
        if (is_dropped(name)) break;
        if (name == "br") {
          out += '\n';
          break;
        }
        const bool block = is_block(name);
        if (block) out += '\n';
        walk(n->children, out);
        if (block) out += '\n';
        break;
      }
      default:
        break;  // comments, processing instructions, entity references: never text
    }
  }
}

struct HtmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};


/// How many of the eight bytes in `x` (as two_byte_leads8 reads them) printable_utf8 passes as
/// they are: printable ASCII (0x20–0x7E) and two-byte sequences with a lead of C2–DF (Cyrillic);
/// 7 when the last byte leads a pair the next eight complete; 0 when any other byte is there.
std::size_t printable_bytes8(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  constexpr std::uint64_t kLows = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t low = x & kLows;
  // Each ASCII byte from 0x20 (adding 0x60 to its low bits reaches the high bit) and not 0x7F
  // (adding 1 does); no carry leaves a byte.
  if ((((low + 0x60 * kOnes) | x) & kHighs) != kHighs) return 0;
  if (((low + kOnes) & ~x & kHighs) != 0) return 0;
  return valid_pairs8(x);
}

/// Whether collapse_whitespace acts on byte `c`: a line break, a space or tab, or the first byte
/// of U+00A0.
bool collapses(char c) {
  return c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ' ' || c == '\t' || c == '\xC2';
}

}  // namespace

std::string printable_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    // Runs of text that needs nothing are copied at once.
    if (const std::size_t run = pass_blocks8(in, i, printable_bytes8); run > i) {
      out.append(in.data() + i, run - i);
      i = run;
      if (i == in.size()) break;
    }
    const auto b = static_cast<unsigned char>(in[i]);
    if (b < 0x20 || b == 0x7F) {
      if (b == '\n' || b == '\t') out += static_cast<char>(b);
      else if (b == '\r') out += '\n';
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(in, i);
    if (len == 0) {
      append_replacement(out);
      ++i;
      continue;
    }
    out.append(in.substr(i, len));
    i += len;
  }
  return out;
}

std::string collapse_whitespace(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::string line;
  auto flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    line.clear();
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      flush();
    } else if (c == ' ' || c == '\t') {
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else if (c == '\xC2' && i + 1 < in.size() && in[i + 1] == '\xA0') {  // U+00A0 no-break space
      if (!line.empty() && line.back() != ' ') line += ' ';
      ++i;
    } else {
      // The bytes up to the next one that collapses go on the line at once.
      std::size_t end = i + 1;
      while (end < in.size() && !collapses(in[end])) ++end;
      line.append(in.data() + i, end - i);
      i = end - 1;
    }
  }
  flush();
  return out;
}

bool looks_like_html(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    const char d = text[i + 1];
    if (c == '<' && ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || d == '/' || d == '!'))
      return true;
    if (c == '&' && (d == '#' || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))) {
      const auto semi = text.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 32) return true;
    }
  }
  return false;
}

std::string html_to_text(std::string_view html) {
  if (html.empty()) return {};
  // Wrapped so that a fragment starting with text is still parsed as body content.
  std::string doc_text = "<html><body>";
  doc_text.append(html);
  doc_text += "</body></html>";
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED;
  std::unique_ptr<xmlDoc, HtmlDocFree> doc(htmlReadMemory(
      doc_text.data(), static_cast<int>(doc_text.size()), nullptr, "UTF-8", options));
  if (!doc) return collapse_whitespace(printable_utf8(html));
  std::string out;
  walk(xmlDocGetRootElement(doc.get()), out);
  return collapse_whitespace(printable_utf8(out));
}

std::string markup_to_text(const xmlNode* node) {
  std::string out;
  if (node != nullptr) walk(node->children, out);
  return collapse_whitespace(printable_utf8(out));
}

std::string clean_text(std::string_view maybe_html) {
  const std::string safe = printable_utf8(maybe_html);
  if (looks_like_html(safe)) return html_to_text(safe);
  return collapse_whitespace(safe);
}

}  // namespace otklik
