#include "sources/generic/rss_parse.hpp"

#include "sources/generic/base64.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/url_util.hpp"
#include "sources/generic/xml_util.hpp"

#include <libxml/tree.h>

#include <span>
#include <vector>

namespace otklik {
namespace {

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kAtom03Ns = "http://purl.org/atom/ns#";
constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

std::string child_text(const xmlNode* item, std::string_view name, std::string_view ns = {}) {
  return node_text(child_element(item, name, ns));
}

std::optional<TimePoint> feed_date(const std::string& text) {
  if (auto t = parse_rfc822_date(text)) return t;
  return parse_iso8601_date(text);
}

std::string item_label(const Mention& m, std::size_t index) {
  if (!m.external_id.empty()) return "item " + m.external_id;
  return "item #" + std::to_string(index + 1);
}

void set_date(Mention& m, const std::string& raw, std::size_t index, ParsedPage& page) {
  if (raw.empty()) return;
  m.published = feed_date(raw);
  if (!m.published) page.warnings.push_back(item_label(m, index) + ": unparsable date \"" + one_line(raw) + "\"");
}

/// An Atom 1.0 text construct (title, summary, content) as plain text.
std::string atom_text(const xmlNode* node) {
  if (node == nullptr) return {};
  const std::string type = attribute(node, "type");
  if (type == "xhtml") return markup_to_text(node);
  if (type == "html" || type == "text/html") return clean_text(node_text(node));
  return collapse_whitespace(printable_utf8(node_text(node)));
}

bool has_element_child(const xmlNode* node) {
  for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    if (c->type == XML_ELEMENT_NODE) return true;
  return false;
}

/// An Atom 0.3 content construct as plain text. `type` is a MIME type (default text/plain);
/// `mode` says how the content is carried: "xml" (the default: inline, e.g. an XHTML div),
/// "escaped" (markup escaped as text) or "base64". nullopt: base64 that does not decode.
std::optional<std::string> atom03_text(const xmlNode* node) {
  if (node == nullptr) return std::string();
  const std::string type = attribute(node, "type");
  const std::string mode = attribute(node, "mode");
  const bool html = type.find("html") != std::string::npos;  // text/html, application/xhtml+xml
  auto as_text = [html](std::string_view raw) {
    return html ? clean_text(raw) : collapse_whitespace(printable_utf8(raw));
  };
  if (mode == "base64") {
    auto bytes = decode_base64(node_text(node));
    if (!bytes) return std::nullopt;
    return as_text(*bytes);
  }
  if (mode == "escaped") return as_text(node_text(node));
  if (has_element_child(node)) return markup_to_text(node);
  return collapse_whitespace(printable_utf8(node_text(node)));
}

/// What tells the two Atom versions apart when reading an entry.
struct AtomVersion {
  std::string_view ns;
  std::span<const std::string_view> dates;  ///< the first one present is `published`
};

constexpr std::string_view kAtom10Dates[] = {"published", "updated"};
constexpr std::string_view kAtom03Dates[] = {"issued", "created", "modified"};

void finish(Mention& m, std::size_t index, ParsedPage& page) {
  if (m.text.empty()) m.text = m.title;
  if (m.text.empty()) {
    page.warnings.push_back(item_label(m, index) + ": skipped, no title and no text");
    return;
  }
  assign_missing_id(m);
  page.mentions.push_back(std::move(m));
}

void parse_rss_item(const xmlNode* item, const ParseInput& in, std::size_t index, ParsedPage& page) {
  Mention m;
  m.source = in.source;
  m.brand = in.brand;
  m.fetched = in.fetched;
  const std::string base = xml_base(item, in.base_url);
  m.title = one_line(clean_text(child_text(item, "title")));
  for (const xmlNode* c = item->children; c != nullptr && m.url.empty(); c = c->next)
    if (c->type == XML_ELEMENT_NODE && local_name(c) == "link" && ns_uri(c) != kAtomNs)
      m.url = resolve_url(base, node_text(c));
  if (m.url.empty()) {
    if (const xmlNode* alink = child_element(item, "link", kAtomNs))
      m.url = resolve_url(xml_base(alink, in.base_url), attribute(alink, "href"));
  }
  const xmlNode* guid = child_element(item, "guid");
  m.external_id = one_line(node_text(guid));
  if (m.url.empty() && guid != nullptr && attribute(guid, "isPermaLink") != "false" &&
      (m.external_id.starts_with("http://") || m.external_id.starts_with("https://")))
    m.url = m.external_id;
  if (m.external_id.empty()) m.external_id = one_line(child_text(item, "id", kAtomNs));
  if (m.external_id.empty()) m.external_id = m.url;
  if (m.external_id.empty()) m.external_id = one_line(attribute(item, "about", kRdfNs));

  std::string body = child_text(item, "encoded", kContentNs);
  if (body.empty()) body = child_text(item, "description");
  m.text = clean_text(body);

  std::string author = child_text(item, "author");
  if (const xmlNode* a = child_element(item, "author", kAtomNs)) author = child_text(a, "name", kAtomNs);
  if (author.empty()) author = child_text(item, "creator", kDcNs);
  m.author = author_display_name(author);

  std::string date = child_text(item, "pubDate");
  if (date.empty()) date = child_text(item, "date", kDcNs);
  set_date(m, date, index, page);
  finish(m, index, page);
}

std::string atom_link(const xmlNode* entry, std::string_view ns, std::string_view document_url) {
  const xmlNode* fallback = nullptr;
  for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || local_name(c) != "link" || ns_uri(c) != ns) continue;
    const std::string rel = attribute(c, "rel");
    if (rel.empty() || rel == "alternate") return resolve_url(xml_base(c, document_url), attribute(c, "href"));
    // Atom 0.3's service.edit / service.post / service.feed are API endpoints, not the page.
    if (fallback == nullptr && rel != "self" && rel != "edit" && rel != "enclosure" && !rel.starts_with("service."))
      fallback = c;
  }
  return fallback ? resolve_url(xml_base(fallback, document_url), attribute(fallback, "href")) : std::string{};
}

/// The body of an Atom 0.3 entry: the first content (the parts of a multipart/alternative one in
/// order) that gives text, else the summary.
std::string atom03_body(const xmlNode* entry, const std::string& label, ParsedPage& page) {
  std::vector<const xmlNode*> candidates;
  for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || local_name(c) != "content" || ns_uri(c) != kAtom03Ns) continue;
    if (attribute(c, "type") != "multipart/alternative") {
      candidates.push_back(c);
      continue;
    }
    for (const xmlNode* part = c->children; part != nullptr; part = part->next)
      if (part->type == XML_ELEMENT_NODE && local_name(part) == "content" && ns_uri(part) == kAtom03Ns)
        candidates.push_back(part);
  }
  candidates.push_back(child_element(entry, "summary", kAtom03Ns));
  for (const xmlNode* node : candidates) {
    auto text = atom03_text(node);
    if (!text) {
      page.warnings.push_back(label + ": <" + std::string(local_name(node)) + " mode=\"base64\"> is not base64");
      continue;
    }
    if (!text->empty()) return *text;
  }
  return {};
}

void parse_atom_entry(const xmlNode* entry, const AtomVersion& v, const std::string& feed_author, const ParseInput& in,
                      std::size_t index, ParsedPage& page) {
  const bool v03 = v.ns == kAtom03Ns;
  Mention m;
  m.source = in.source;
  m.brand = in.brand;
  m.fetched = in.fetched;
  const xmlNode* title = child_element(entry, "title", v.ns);
  m.title = one_line(v03 ? atom03_text(title).value_or("") : atom_text(title));
  m.url = atom_link(entry, v.ns, in.base_url);
  m.external_id = one_line(child_text(entry, "id", v.ns));
  if (m.external_id.empty()) m.external_id = m.url;
  if (v03) {
    m.text = atom03_body(entry, item_label(m, index), page);
  } else {
    const xmlNode* body = child_element(entry, "content", kAtomNs);
    if (body == nullptr || attribute(body, "src") != "") body = child_element(entry, "summary", kAtomNs);
    m.text = atom_text(body);
  }
  std::string author;
  if (const xmlNode* a = child_element(entry, "author", v.ns)) author = child_text(a, "name", v.ns);
  if (author.empty()) author = child_text(entry, "creator", kDcNs);
  m.author = one_line(author.empty() ? feed_author : author);
  std::string date;
  for (const std::string_view name : v.dates)
    if (date.empty()) date = child_text(entry, name, v.ns);
  if (date.empty()) date = child_text(entry, "date", kDcNs);
  set_date(m, date, index, page);
  finish(m, index, page);
}

}  // namespace

Result<ParsedPage> parse_rss(const ParseInput& input) {
  auto read = read_xml(input.body, input.charset);
  if (!read) return read.error();
  const xmlNode* root = xmlDocGetRootElement(read->doc.get());
  const std::string_view root_name = local_name(root);
  ParsedPage page;
  if (auto notice = repaired_bytes_notice(*read)) page.notices.push_back(std::move(*notice));
  std::size_t index = 0;
  if (root_name == "feed" && (ns_uri(root) == kAtomNs || ns_uri(root) == kAtom03Ns)) {
    const AtomVersion v = ns_uri(root) == kAtomNs ? AtomVersion{kAtomNs, kAtom10Dates}
                                                  : AtomVersion{kAtom03Ns, kAtom03Dates};
    std::string feed_author;
    if (const xmlNode* a = child_element(root, "author", v.ns)) feed_author = child_text(a, "name", v.ns);
    for (const xmlNode* c = root->children; c != nullptr; c = c->next)
      if (c->type == XML_ELEMENT_NODE && local_name(c) == "entry" && ns_uri(c) == v.ns)
        parse_atom_entry(c, v, feed_author, input, index++, page);
    return page;
  }
  if (root_name == "rss" || root_name == "RDF") {
    // RSS 0.9x/2.0 keep items in <channel>; RSS 0.90/1.0 (RDF) next to it. Accept both places.
    const xmlNode* channel = child_element(root, "channel");
    for (const xmlNode* parent : {channel, root}) {
      if (parent == nullptr) continue;
      for (const xmlNode* c = parent->children; c != nullptr; c = c->next)
        if (c->type == XML_ELEMENT_NODE && local_name(c) == "item") parse_rss_item(c, input, index++, page);
    }
    return page;
  }
  return Failure(errc::parse_failed, "not an RSS or Atom feed: the root element is <" + std::string(root_name) + ">");
}

}  // namespace otklik
