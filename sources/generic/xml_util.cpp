#include "sources/generic/xml_util.hpp"

#include "sources/generic/url_util.hpp"
#include "sources/generic/xml_bytes.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include <cctype>
#include <vector>

namespace otklik {
namespace {

struct ParserCtxtDeleter {
  void operator()(xmlParserCtxt* c) const noexcept { xmlFreeParserCtxt(c); }
};

bool has_bom(std::string_view body) {
  return body.starts_with("\xEF\xBB\xBF") || body.starts_with("\xFE\xFF") ||
         body.starts_with("\xFF\xFE");
}

/// True when the XML declaration names an encoding (or the bytes are not ASCII-compatible,
/// in which case libxml2's own detection must decide).
bool declares_encoding(std::string_view body) {
  if (body.size() >= 2 && (body[0] == '\0' || body[1] == '\0')) return true;  // UTF-16/32
  if (!body.starts_with("<?xml")) return false;
  const auto end = body.find("?>");
  const std::string_view decl = body.substr(0, end == std::string_view::npos ? 200 : end);
  return decl.find("encoding") != std::string_view::npos;
}

bool known_encoding(std::string_view name) {
  if (name.empty()) return false;
  const std::string n(name);
  xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(n.c_str());
  if (h == nullptr) return false;
  xmlCharEncCloseFunc(h);
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// The charset named by a <meta charset> or <meta http-equiv content> in the first 4 KiB.
std::string sniff_meta_charset(std::string_view body) {
  const std::string head = lower(body.substr(0, 4096));
  std::size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const auto end = head.find('>', pos);
    const std::string_view tag = std::string_view(head).substr(pos, end - pos);
    const auto cs = tag.find("charset");
    if (cs != std::string_view::npos) {
      std::string_view rest = tag.substr(cs + 7);
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '=')) rest.remove_prefix(1);
      while (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) rest.remove_prefix(1);
      std::size_t n = 0;
      while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) ||
                                 rest[n] == '-' || rest[n] == '_'))
        ++n;
      if (n > 0) return std::string(rest.substr(0, n));
    }
    if (end == std::string::npos) break;
    pos = end;
  }
  return {};
}

void find_external_entity(void* payload, void* data, const xmlChar* /*name*/) {
  const auto* entity = static_cast<const xmlEntity*>(payload);
  auto* found = static_cast<bool*>(data);
  switch (entity->etype) {
    case XML_EXTERNAL_GENERAL_PARSED_ENTITY:
    case XML_EXTERNAL_GENERAL_UNPARSED_ENTITY:
    case XML_EXTERNAL_PARAMETER_ENTITY:
      *found = true;
      break;
    default:
      break;
  }
}

bool declares_external_entity(const xmlDoc* doc) {
  bool found = false;
  for (const xmlDtd* dtd : {doc->intSubset, doc->extSubset}) {
    if (dtd == nullptr) continue;
    if (dtd->entities) xmlHashScan(static_cast<xmlHashTablePtr>(dtd->entities), find_external_entity, &found);
    if (dtd->pentities)
      xmlHashScan(static_cast<xmlHashTablePtr>(dtd->pentities), find_external_entity, &found);
  }
  return found;
}

std::string error_text(const xmlError* e) {
  if (e == nullptr || e->message == nullptr) return "not well-formed XML";
  std::string msg = e->message;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (e->line > 0) return "line " + std::to_string(e->line) + ": " + msg;
  return msg;
}

void append_text(const xmlNode* node, std::string& out) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) out += reinterpret_cast<const char*>(n->content);
    } else if (n->type == XML_ELEMENT_NODE) {
      append_text(n->children, out);
    }
    // XML_ENTITY_REF_NODE and everything else: skipped on purpose.
  }
}

}  // namespace

Result<XmlRead> read_xml(std::string_view body, std::string_view http_charset) {
  if (body.empty()) return Failure(errc::parse_failed, "empty document");
  if (body.size() > static_cast<std::size_t>(INT32_MAX)) return Failure(errc::parse_failed, "document too large");
  std::string encoding;
  if (!has_bom(body) && !declares_encoding(body) && known_encoding(http_charset))
    encoding = std::string(http_charset);
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS;
  XmlRead read;
  // UTF-16/32 (a BOM, NUL bytes in the first two, or the declaration's word) is left to libxml2's
  // own detection, which also copes with a UTF-8 document labelled UTF-16.
  read.charset = body.starts_with("\xEF\xBB\xBF") ? "UTF-8" : declared_xml_encoding(body);
  if (read.charset.empty()) read.charset = encoding.empty() ? "UTF-8" : encoding;
  const std::string charset = lower(read.charset);
  const bool wide = body.starts_with("\xFE\xFF") || body.starts_with("\xFF\xFE") ||
                    (body.size() >= 2 && (body[0] == '\0' || body[1] == '\0')) || charset.starts_with("utf-16") ||
                    charset.starts_with("utf-32") || charset.starts_with("ucs");
  std::optional<RepairedBytes> repaired;
  if (!wide) repaired = repair_bytes(body, read.charset);
  else read.charset.clear();
  if (repaired) {
    // The repaired text is UTF-8 whatever the declaration says: only the encoding changes, never
    // the markup, and the options below are the same ones.
    body = repaired->utf8;
    encoding = "UTF-8";
    options |= XML_PARSE_IGNORE_ENC;
    read.repaired = repaired->replaced;
    read.first_line = repaired->first_line;
  }
  std::unique_ptr<xmlParserCtxt, ParserCtxtDeleter> ctxt(xmlNewParserCtxt());
  if (!ctxt) throw std::bad_alloc();
  read.doc.reset(xmlCtxtReadMemory(ctxt.get(), body.data(), static_cast<int>(body.size()), nullptr,
                                   encoding.empty() ? nullptr : encoding.c_str(), options));
  if (!read.doc || !ctxt->wellFormed)
    return Failure(errc::parse_failed, error_text(xmlCtxtGetLastError(ctxt.get())));
  if (declares_external_entity(read.doc.get()))
    return Failure(errc::parse_failed, "the document declares an external entity (refused)");
  if (xmlDocGetRootElement(read.doc.get()) == nullptr) return Failure(errc::parse_failed, "no root element");
  return read;
}

std::optional<PageNotice> repaired_bytes_notice(const XmlRead& read) {
  if (read.repaired == 0) return std::nullopt;
  return PageNotice{"bytes_repaired",
                    "the document has bytes that are not valid " + read.charset + ": " + std::to_string(read.repaired) +
                        (read.repaired == 1 ? " sequence" : " sequences") + " replaced with U+FFFD (the first on line " +
                        std::to_string(read.first_line) +
                        "); the items are kept, with the replacement character where the bytes were (reported once "
                        "for this source)"};
}

Result<XmlDocPtr> read_html(std::string_view body, std::string_view http_charset) {
  if (body.empty()) return Failure(errc::parse_failed, "empty document");
  if (body.size() > static_cast<std::size_t>(INT32_MAX)) return Failure(errc::parse_failed, "document too large");
  std::string encoding;
  if (!has_bom(body)) {
    if (known_encoding(http_charset)) encoding = std::string(http_charset);
    else if (auto meta = sniff_meta_charset(body); known_encoding(meta)) encoding = meta;
    else encoding = "UTF-8";
  }
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER;
  XmlDocPtr doc(htmlReadMemory(body.data(), static_cast<int>(body.size()), nullptr,
                               encoding.empty() ? nullptr : encoding.c_str(), options));
  if (!doc) return Failure(errc::parse_failed, "the HTML parser gave up");
  return doc;
}

std::string_view local_name(const xmlNode* node) {
  if (node == nullptr || node->name == nullptr) return {};
  return reinterpret_cast<const char*>(node->name);
}

std::string_view ns_uri(const xmlNode* node) {
  if (node == nullptr || node->ns == nullptr || node->ns->href == nullptr) return {};
  return reinterpret_cast<const char*>(node->ns->href);
}

std::string node_text(const xmlNode* node) {
  std::string out;
  if (node != nullptr) append_text(node->children, out);
  return out;
}

std::string attribute(const xmlNode* node, std::string_view name, std::string_view ns) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) return {};
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr || name != reinterpret_cast<const char*>(a->name)) continue;
    const std::string_view a_ns =
        a->ns && a->ns->href ? reinterpret_cast<const char*>(a->ns->href) : std::string_view{};
    if (a_ns != ns) continue;
    std::string out;
    append_text(a->children, out);
    return out;
  }
  return {};
}

const xmlNode* child_element(const xmlNode* node, std::string_view name, std::string_view ns) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || local_name(c) != name) continue;
    if (!ns.empty() && ns_uri(c) != ns) continue;
    return c;
  }
  return nullptr;
}

std::string xml_base(const xmlNode* node, std::string_view document_url) {
  std::vector<std::string> bases;
  for (const xmlNode* n = node; n != nullptr && n->type == XML_ELEMENT_NODE; n = n->parent) {
    std::string b = attribute(n, "base", "http://www.w3.org/XML/1998/namespace");
    if (!b.empty()) bases.push_back(std::move(b));
  }
  std::string base(document_url);
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) base = resolve_url(base, *it);
  return base;
}

std::string xpath_has_class(std::string_view name) {
  return "contains(concat(' ', normalize-space(@class), ' '), ' " + std::string(name) + " ')";
}

std::string xpath_first_nonempty(std::initializer_list<std::string_view> expressions) {
  std::string out = "concat(''";  // concat takes two arguments at least
  std::string all_empty;          // "normalize-space(A) = '' and normalize-space(B) = ''"
  for (const std::string_view e : expressions) {
    const std::string value = "normalize-space(" + std::string(e) + ")";
    out += all_empty.empty() ? ", " + value : ", substring(" + value + ", 1 div (" + all_empty + "))";
    all_empty += (all_empty.empty() ? "" : " and ") + value + " = ''";
  }
  return out + ")";
}

std::optional<std::string> first_html_match(std::string_view body, const std::string& expression) {
  auto doc = read_html(body, "");
  if (!doc) return std::nullopt;
  std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> ctx(xmlXPathNewContext(doc->get()),
                                                                      xmlXPathFreeContext);
  if (!ctx) return std::nullopt;
  std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> found(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), ctx.get()), xmlXPathFreeObject);
  if (!found || found->nodesetval == nullptr || found->nodesetval->nodeNr == 0) return std::nullopt;
  xmlChar* value = xmlXPathCastNodeToString(found->nodesetval->nodeTab[0]);
  if (value == nullptr) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

}  // namespace otklik
