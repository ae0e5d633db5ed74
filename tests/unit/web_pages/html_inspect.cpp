#include "tests/unit/web_pages/html_inspect.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

namespace otklik::web::test {
namespace {

void collect_error(void* data, xmlErrorPtr error) {
  if (error == nullptr || error->code == XML_HTML_UNKNOWN_TAG) return;
  auto* errors = static_cast<std::vector<std::string>*>(data);
  errors->push_back("line " + std::to_string(error->line) + ": " + (error->message ? error->message : "?"));
}

void walk(xmlNodePtr node, Inspected& out) {
  for (xmlNodePtr n = node; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      Element e;
      e.name = reinterpret_cast<const char*>(n->name);
      for (xmlAttrPtr a = n->properties; a != nullptr; a = a->next) {
        xmlChar* value = xmlNodeListGetString(n->doc, a->children, 1);
        e.attributes.emplace_back(reinterpret_cast<const char*>(a->name),
                                  value ? reinterpret_cast<const char*>(value) : "");
        xmlFree(value);
      }
      out.elements.push_back(std::move(e));
      if (out.elements.back().name == "body") {
        xmlChar* text = xmlNodeGetContent(n);
        out.text = text ? reinterpret_cast<const char*>(text) : "";
        xmlFree(text);
      }
    }
    walk(n->children, out);
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Everything the pages write; anything else in a page came from outside.
const std::set<std::string> kElements{
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "ul", "ol", "li",
    "form", "input", "button", "div", "span", "main", "p", "footer", "h1", "h2", "h3", "table", "thead",
    "tbody", "tr", "th", "td", "select", "option", "label", "time", "section", "dl", "dt", "dd",
    "article", "strong", "q", "br", "svg", "line", "text", "rect", "g", "textarea"};
const std::set<std::string> kAttributes{
    "lang", "charset", "name", "content", "rel", "href", "src", "defer", "data-page", "class", "id",
    "aria-current", "method", "action", "type", "value", "role", "data-events", "data-connected",
    "data-reconnecting", "data-new-one", "data-new-few", "data-new-many", "data-plural", "hidden",
    "scope", "data-live", "data-id", "data-label", "title", "aria-label", "datetime", "selected", "min",
    "max", "step", "target", "rows", "autocomplete", "required", "autofocus", "xmlns", "viewbox", "x",
    "y", "x1", "y1", "x2", "y2", "width", "height", "text-anchor"};

}  // namespace

const std::string* Element::attribute(std::string_view n) const {
  for (const auto& [k, v] : attributes)
    if (k == n) return &v;
  return nullptr;
}

Inspected inspect_html(std::string_view html) {
  Inspected out;
  xmlSetStructuredErrorFunc(&out.errors, collect_error);
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), "page.html", "UTF-8",
                                  HTML_PARSE_NONET);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (doc == nullptr) {
    out.errors.push_back("no document");
    return out;
  }
  walk(xmlDocGetRootElement(doc), out);
  xmlFreeDoc(doc);
  return out;
}

std::vector<std::string> violations(const Inspected& doc) {
  std::vector<std::string> out;
  for (const auto& e : doc.elements) {
    if (!kElements.contains(e.name)) out.push_back("element <" + e.name + ">");
    if (e.name == "script" && e.attribute("src") == nullptr) out.push_back("inline <script>");
    for (const auto& [name, value] : e.attributes) {
      const std::string n = lower(name);
      if (n.starts_with("on")) out.push_back("event handler " + name + " on <" + e.name + ">");
      if (n == "style") out.push_back("style attribute on <" + e.name + ">");
      if (!kAttributes.contains(n)) out.push_back("attribute " + name + " on <" + e.name + ">");
      if (n == "href" || n == "src" || n == "action") {
        const bool ours = value.starts_with("/") || value.starts_with("#");
        const std::string v = lower(value);
        const bool web = v.starts_with("http://") || v.starts_with("https://");
        if (!ours && !web) out.push_back(name + "=\"" + value + "\" on <" + e.name + ">");
        if (value.starts_with("//")) out.push_back("protocol-relative " + name + " on <" + e.name + ">");
      }
    }
  }
  return out;
}

}  // namespace otklik::web::test
