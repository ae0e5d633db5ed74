#include "sources/generic/html_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/url_util.hpp"
#include "sources/generic/xml_util.hpp"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <array>
#include <memory>
#include <vector>

namespace otklik {
namespace {

struct XPathContextDeleter {
  void operator()(xmlXPathContext* c) const noexcept { xmlXPathFreeContext(c); }
};
struct XPathCompDeleter {
  void operator()(xmlXPathCompExpr* c) const noexcept { xmlXPathFreeCompExpr(c); }
};
struct XPathObjectDeleter {
  void operator()(xmlXPathObject* o) const noexcept { xmlXPathFreeObject(o); }
};
using XPathContextPtr = std::unique_ptr<xmlXPathContext, XPathContextDeleter>;
using XPathCompPtr = std::unique_ptr<xmlXPathCompExpr, XPathCompDeleter>;
using XPathObjectPtr = std::unique_ptr<xmlXPathObject, XPathObjectDeleter>;

/// Keeps libxml2's XPath messages off stderr and remembers the last one.
void capture_error(void* user, xmlError* error) {
  auto* last = static_cast<std::string*>(user);
  if (error != nullptr && error->message != nullptr) {
    *last = error->message;
    while (!last->empty() && (last->back() == '\n' || last->back() == ' ')) last->pop_back();
  }
}

XPathContextPtr make_context(xmlDoc* doc, std::string& last_error) {
  XPathContextPtr ctx(xmlXPathNewContext(doc));
  if (!ctx) throw std::bad_alloc();
  ctx->error = capture_error;
  ctx->userData = &last_error;
  return ctx;
}

Result<XPathCompPtr> compile(xmlXPathContext* ctx, const std::string& expression, std::string& last_error) {
  last_error.clear();
  XPathCompPtr comp(xmlXPathCtxtCompile(ctx, reinterpret_cast<const xmlChar*>(expression.c_str())));
  if (!comp)
    return Failure(errc::invalid_input, "invalid XPath \"" + expression + "\": " +
                                            (last_error.empty() ? "does not compile" : last_error));
  return comp;
}

/// The compiled field expressions, in kFieldNames order (null where unmapped).
struct CompiledFields {
  std::array<XPathCompPtr, std::size(kFieldNames)> exprs;
};

std::string evaluate(xmlXPathContext* ctx, xmlXPathCompExpr* comp, xmlNode* item, bool all_nodes) {
  if (comp == nullptr) return {};
  ctx->node = item;
  XPathObjectPtr obj(xmlXPathCompiledEval(comp, ctx));
  if (!obj) return {};
  if (obj->type == XPATH_NODESET) {
    const xmlNodeSet* set = obj->nodesetval;
    if (set == nullptr || set->nodeNr == 0) return {};
    std::string out;
    const int count = all_nodes ? set->nodeNr : 1;
    for (int i = 0; i < count; ++i) {
      const xmlNode* n = set->nodeTab[i];
      if (!out.empty()) out += '\n';
      if (n->type == XML_ELEMENT_NODE) {
        out += markup_to_text(n);
      } else {
        xmlChar* s = xmlXPathCastNodeToString(const_cast<xmlNode*>(n));
        if (s != nullptr) {
          out += reinterpret_cast<const char*>(s);
          xmlFree(s);
        }
      }
    }
    return out;
  }
  xmlChar* s = xmlXPathCastToString(obj.get());
  if (s == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(s));
  xmlFree(s);
  return out;
}

}  // namespace

std::optional<std::string> xpath_error(std::string_view expression) {
  std::string last_error;
  auto ctx = make_context(nullptr, last_error);
  auto comp = compile(ctx.get(), std::string(expression), last_error);
  if (comp) return std::nullopt;
  return comp.error().detail;
}

Result<ParsedPage> parse_html(const ParseInput& input, const ItemMapping& mapping) {
  auto doc = read_html(input.body, input.charset);
  if (!doc) return doc.error();
  std::string last_error;
  auto ctx = make_context(doc->get(), last_error);

  auto items_expr = compile(ctx.get(), mapping.items, last_error);
  if (!items_expr) return items_expr.error();
  CompiledFields fields;
  FieldSelectors selectors = mapping.fields;
  for (std::size_t i = 0; i < std::size(kFieldNames); ++i) {
    const std::string& expr = *field_by_name(selectors, kFieldNames[i]);
    if (expr.empty()) continue;
    auto comp = compile(ctx.get(), expr, last_error);
    if (!comp) return comp.error();
    fields.exprs[i] = std::move(*comp);
  }
  auto field = [&](std::string_view name) {
    for (std::size_t i = 0; i < std::size(kFieldNames); ++i)
      if (name == kFieldNames[i]) return fields.exprs[i].get();
    return static_cast<xmlXPathCompExpr*>(nullptr);
  };

  ctx->node = xmlDocGetRootElement(doc->get());
  XPathObjectPtr matched(xmlXPathCompiledEval(items_expr->get(), ctx.get()));
  ParsedPage page;
  if (!matched || matched->type != XPATH_NODESET || matched->nodesetval == nullptr) return page;
  // Copy the node list: evaluating field expressions reuses the context.
  std::vector<xmlNode*> nodes(matched->nodesetval->nodeTab,
                              matched->nodesetval->nodeTab + matched->nodesetval->nodeNr);
  for (std::size_t index = 0; index < nodes.size(); ++index) {
    xmlNode* item = nodes[index];
    Mention m = mention_of(input);
    m.external_id = one_line(evaluate(ctx.get(), field("id"), item, false));
    m.text = clean_text(evaluate(ctx.get(), field("text"), item, true));
    m.title = one_line(evaluate(ctx.get(), field("title"), item, false));
    m.author = one_line(evaluate(ctx.get(), field("author"), item, false));
    m.author_id = one_line(evaluate(ctx.get(), field("author_id"), item, false));
    m.company_reply = clean_text(evaluate(ctx.get(), field("reply"), item, true));
    const std::string url = one_line(evaluate(ctx.get(), field("url"), item, false));
    m.url = resolve_url(input.base_url, url);
    const std::string label = m.external_id.empty() ? "item #" + std::to_string(index + 1) : "item " + m.external_id;
    if (m.text.empty()) {
      page.warnings.push_back(label + ": skipped, the text field is empty");
      continue;
    }
    if (field("rating") != nullptr) {
      const std::string raw = one_line(evaluate(ctx.get(), field("rating"), item, false));
      if (auto v = parse_number(raw)) m.rating = normalise_rating(*v, mapping.rating_scale);
      else if (!raw.empty()) page.warnings.push_back(label + ": unparsable rating \"" + raw + "\"");
    }
    if (field("date") != nullptr) {
      const std::string raw = one_line(evaluate(ctx.get(), field("date"), item, false));
      m.published = mapping.date_format == "auto" ? parse_date_auto(raw) : parse_date_format(raw, mapping.date_format);
      if (!m.published && !raw.empty()) page.warnings.push_back(label + ": unparsable date \"" + raw + "\"");
    }
    assign_missing_id(m);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace otklik
