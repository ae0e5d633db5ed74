#pragma once
/// Safe XML reading with libxml2 and small helpers over its tree.
///
/// Security properties of read_xml (see docs/sources.md):
/// - XML_PARSE_NONET: the parser never opens a network connection;
/// - no XML_PARSE_NOENT / DTDLOAD / DTDATTR / DTDVALID: entities are not substituted, the external
///   DTD subset and external entities are never loaded (file:// included);
/// - a document that declares an external entity is rejected outright;
/// - no XML_PARSE_HUGE: libxml2's limits on entity amplification stay on, so nested entity
///   expansion ("billion laughs") fails the parse quickly instead of exhausting memory;
/// - the text helpers below never follow entity references, so an entity's replacement text can
///   never reach a Mention.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <libxml/tree.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

/// A parsed XML document and what had to be repaired to parse it.
struct XmlRead {
  XmlDocPtr doc;
  std::size_t repaired = 0;    ///< invalid byte sequences replaced by U+FFFD (xml_bytes.hpp)
  std::size_t first_line = 0;  ///< the line of the first of them (0 when none)
  std::string charset;         ///< the charset the bytes were taken to be in ("" when libxml2 detected it)
};

/// Parses an XML document. `http_charset` (from Content-Type, may be "") is used as the encoding
/// only when the document has neither a byte order mark nor an encoding in its XML declaration;
/// without any of these the document is UTF-8. Byte sequences that are invalid in that charset
/// are replaced by U+FFFD before parsing (repair_bytes; counted in `repaired`), so one bad byte
/// does not lose the document; a document that is not in its charset at all is not repaired.
/// Malformed or truncated XML, a forbidden entity, or an unknown encoding → parse_failed.
Result<XmlRead> read_xml(std::string_view body, std::string_view http_charset);

/// The once-per-source notice for a document whose bytes were repaired (key "bytes_repaired"):
/// how many sequences, in which charset, the first line. nullopt when nothing was repaired.
std::optional<PageNotice> repaired_bytes_notice(const XmlRead& read);

/// Parses HTML with libxml2's recovering HTML parser, without network access. `http_charset`
/// (may be "") wins over a <meta charset>; without either, a <meta> charset is honoured and
/// UTF-8 is assumed. Only an empty body fails.
Result<XmlDocPtr> read_html(std::string_view body, std::string_view http_charset);

/// The element's local name ("" for non-elements).
std::string_view local_name(const xmlNode* node);
/// The namespace URI of an element or attribute ("" for none).
std::string_view ns_uri(const xmlNode* node);

/// Concatenated text and CDATA below `node`; entity references are skipped, never expanded.
std::string node_text(const xmlNode* node);

/// The value of the attribute `name` (no namespace, or in namespace `ns` when given), built from
/// its text children only; "" when absent.
std::string attribute(const xmlNode* node, std::string_view name, std::string_view ns = {});

/// The first child element with local name `name` (and namespace `ns` when not empty).
const xmlNode* child_element(const xmlNode* node, std::string_view name, std::string_view ns = {});

/// The base URL in effect at `node`: `document_url` refined by every xml:base from the root down.
std::string xml_base(const xmlNode* node, std::string_view document_url);

/// An XPath 1.0 test that an element's @class holds `name` among its classes:
/// "//li[" + xpath_has_class("pager-next") + "]".
std::string xpath_has_class(std::string_view name);

/// An XPath 1.0 expression for a field with fallbacks: the normalised string value of the first
/// of `expressions` whose value is not empty ("a, else b, else c"). Built as
/// concat(normalize-space(A), substring(normalize-space(B), 1 div (normalize-space(A) = '')), …):
/// substring from 1 div false = infinity is "", so each later value counts only when all before
/// it are empty.
std::string xpath_first_nonempty(std::initializer_list<std::string_view> expressions);

/// The string value of the first node `expression` selects in the HTML `body` (read with
/// read_html, no charset given); nullopt when the page does not parse, the expression fails or
/// selects nothing. For a site's pager link: the caller's own expression, on a page already fetched.
std::optional<std::string> first_html_match(std::string_view body, const std::string& expression);

}  // namespace otklik
