#pragma once
/// Reducing markup and hostile bytes to clean plain UTF-8 text for Mentions.

#include <libxml/tree.h>

#include <string>
#include <string_view>

namespace otklik {

/// Replaces invalid UTF-8 sequences with U+FFFD and drops NUL and other C0 controls except
/// tab and newline (which later become spaces / line breaks). Always returns valid UTF-8.
std::string printable_utf8(std::string_view in);

/// Collapses runs of spaces and tabs to one space, trims every line, drops empty lines.
/// Lines are kept: a paragraph in the source stays a line in the result.
std::string collapse_whitespace(std::string_view in);

/// True when `text` looks like it holds HTML tags or entity references (so it needs
/// html_to_text rather than plain collapsing).
bool looks_like_html(std::string_view text);

/// HTML (a fragment or a document, UTF-8) to plain text: script/style/head dropped, block
/// elements and <br> become line breaks, entities decoded, whitespace collapsed. Parsed with
/// libxml2's HTML parser without network access; never fails (bad markup is recovered).
std::string html_to_text(std::string_view html);

/// Plain text of already parsed markup (e.g. an Atom type="xhtml" div): the same rules as
/// html_to_text applied to `node`'s children.
std::string markup_to_text(const xmlNode* node);

/// Plain text from a field that may or may not hold HTML: sanitised, HTML reduced, collapsed.
std::string clean_text(std::string_view maybe_html);

}  // namespace otklik
