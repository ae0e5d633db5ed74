#include "sources/generic/rss_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/url_util.hpp"
#include "sources/generic/xml_util.hpp"

#include <libxml/tree.h>

namespace otklik {
namespace {

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
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

/// An Atom text construct (title, summary, content) as plain text.
std::string atom_text(const xmlNode* node) {
  if (node == nullptr) return {};
  const std::string type = attribute(node, "type");
  if (type == "xhtml") return markup_to_text(node);
  if (type == "html" || type == "text/html") return clean_text(node_text(node));
  return collapse_whitespace(printable_utf8(node_text(node)));
}

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

std::string atom_link(const xmlNode* entry, std::string_view document_url) {
  const xmlNode* fallback = nullptr;
  for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || local_name(c) != "link" || ns_uri(c) != kAtomNs) continue;
    const std::string rel = attribute(c, "rel");
    if (rel.empty() || rel == "alternate") return resolve_url(xml_base(c, document_url), attribute(c, "href"));
    if (fallback == nullptr && rel != "self" && rel != "edit" && rel != "enclosure") fallback = c;
  }
  return fallback ? resolve_url(xml_base(fallback, document_url), attribute(fallback, "href")) : std::string{};
}

void parse_atom_entry(const xmlNode* entry, const std::string& feed_author, const ParseInput& in,
                      std::size_t index, ParsedPage& page) {
  Mention m;
  m.source = in.source;
  m.brand = in.brand;
  m.fetched = in.fetched;
  m.title = one_line(atom_text(child_element(entry, "title", kAtomNs)));
  m.url = atom_link(entry, in.base_url);
  m.external_id = one_line(child_text(entry, "id", kAtomNs));
  if (m.external_id.empty()) m.external_id = m.url;
  const xmlNode* body = child_element(entry, "content", kAtomNs);
  if (body == nullptr || attribute(body, "src") != "") body = child_element(entry, "summary", kAtomNs);
  m.text = atom_text(body);
  std::string author;
  if (const xmlNode* a = child_element(entry, "author", kAtomNs)) author = child_text(a, "name", kAtomNs);
  if (author.empty()) author = child_text(entry, "creator", kDcNs);
  m.author = one_line(author.empty() ? feed_author : author);
  std::string date = child_text(entry, "published", kAtomNs);
  if (date.empty()) date = child_text(entry, "updated", kAtomNs);
  if (date.empty()) date = child_text(entry, "date", kDcNs);
  set_date(m, date, index, page);
  finish(m, index, page);
}

}  // namespace

Result<ParsedPage> parse_rss(const ParseInput& input) {
  auto doc = read_xml(input.body, input.charset);
  if (!doc) return doc.error();
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  const std::string_view root_name = local_name(root);
  ParsedPage page;
  std::size_t index = 0;
  if (root_name == "feed" && ns_uri(root) == kAtomNs) {
    std::string feed_author;
    if (const xmlNode* a = child_element(root, "author", kAtomNs)) feed_author = child_text(a, "name", kAtomNs);
    for (const xmlNode* c = root->children; c != nullptr; c = c->next)
      if (c->type == XML_ELEMENT_NODE && local_name(c) == "entry" && ns_uri(c) == kAtomNs)
        parse_atom_entry(c, feed_author, input, index++, page);
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
