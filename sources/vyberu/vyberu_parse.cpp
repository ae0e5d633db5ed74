#include "sources/vyberu/vyberu_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/paging.hpp"
#include "sources/generic/url_util.hpp"
#include "sources/generic/xml_util.hpp"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <charconv>
#include <chrono>
#include <memory>
#include <vector>

namespace otklik {
namespace {

struct XPathContextDeleter {
  void operator()(xmlXPathContext* c) const noexcept { xmlXPathFreeContext(c); }
};
struct XPathObjectDeleter {
  void operator()(xmlXPathObject* o) const noexcept { xmlXPathFreeObject(o); }
};
using XPathContextPtr = std::unique_ptr<xmlXPathContext, XPathContextDeleter>;
using XPathObjectPtr = std::unique_ptr<xmlXPathObject, XPathObjectDeleter>;

void ignore_error(void*, xmlError*) {}

/// The nodes `expr` selects with `node` as the context node, in document order.
std::vector<xmlNode*> select(xmlXPathContext* ctx, const std::string& expr, xmlNode* node) {
  XPathObjectPtr obj(xmlXPathNodeEval(node, reinterpret_cast<const xmlChar*>(expr.c_str()), ctx));
  if (!obj || obj->type != XPATH_NODESET || obj->nodesetval == nullptr) return {};
  return {obj->nodesetval->nodeTab, obj->nodesetval->nodeTab + obj->nodesetval->nodeNr};
}

/// The text of every selected element (block elements and <br> as line breaks), joined by lines.
std::string text_of(xmlXPathContext* ctx, const std::string& expr, xmlNode* node) {
  std::string out;
  for (const xmlNode* n : select(ctx, expr, node)) {
    const std::string part = n->type == XML_ELEMENT_NODE ? markup_to_text(n) : node_text(n);
    if (part.empty()) continue;
    if (!out.empty()) out += '\n';
    out += part;
  }
  return out;
}

/// The single-line text of the first selected node ("" when none).
std::string first_of(xmlXPathContext* ctx, const std::string& expr, xmlNode* node) {
  const auto found = select(ctx, expr, node);
  if (found.empty()) return {};
  const xmlNode* n = found.front();
  if (n->type == XML_ATTRIBUTE_NODE) return one_line(node_text(n));
  return one_line(n->type == XML_ELEMENT_NODE ? markup_to_text(n) : node_text(n));
}

std::string cls(std::string_view name) { return xpath_has_class(name); }

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

/// The digits at the end of `s` ("review-412345" → "412345"; "" when it does not end in digits).
std::string trailing_digits(std::string_view s) {
  std::size_t b = s.size();
  while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9') --b;
  return std::string(s.substr(b));
}

/// The last path segment of a link when it is a number ("/banki/x/otzivy/412345/" → "412345").
std::string number_in_link(std::string_view href) {
  if (const auto q = href.find_first_of("?#"); q != std::string_view::npos) href = href.substr(0, q);
  while (!href.empty() && href.back() == '/') href.remove_suffix(1);
  const auto slash = href.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? href : href.substr(slash + 1);
  return all_digits(last) ? std::string(last) : std::string();
}

/// The bank's answer without its heading line («Ответ банка», «Официальный ответ», …).
std::string without_answer_heading(std::string text) {
  const auto nl = text.find('\n');
  const std::string first = text.substr(0, nl);
  if (first.size() <= 80 && (first.rfind("Ответ", 0) == 0 || first.rfind("Официальный ответ", 0) == 0) &&
      first.find('.') == std::string::npos)
    return nl == std::string::npos ? std::string() : text.substr(nl + 1);
  return text;
}

/// The page number of a vbr.ru reviews URL (…/otzivy/N/), 1 for …/otzivy/; 0 when the URL is not
/// one. `prefix` gets the URL up to and including "otzivy/".
long page_of(std::string_view url, std::string& prefix) {
  const auto q = url.find_first_of("?#");
  const std::string_view path = url.substr(0, q);
  const auto at = path.rfind("/otzivy/");
  if (at == std::string_view::npos) return 0;
  prefix = std::string(path.substr(0, at + 8));
  std::string_view rest = path.substr(at + 8);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return 1;
  long n = 0;
  if (!all_digits(rest) || std::from_chars(rest.data(), rest.data() + rest.size(), n).ec != std::errc() || n < 1) return 0;
  return n;
}

constexpr std::size_t kFullPage = 10;

/// The text without the lines of the page's controls («Показать полностью», «Читать полностью», «Скрыть»).
std::string without_controls(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto nl = text.find('\n', at);
    const std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    if (line != "Показать полностью" && line != "Читать полностью" && line != "Скрыть" && !line.empty()) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return out;
}

}  // namespace

std::optional<TimePoint> parse_vyberu_date(std::string_view text, TimePoint now) {
  std::string s;
  for (char c : text) s += c == ',' ? ' ' : c;
  s = one_line(s);
  for (const std::string_view tail : {" года", " г."})
    if (s.size() > tail.size() && s.ends_with(tail)) s.resize(s.size() - tail.size());
  if (const auto at = s.find(" в "); at != std::string::npos) s.replace(at, 3, " ");
  // «сегодня 10:15», «вчера в 18:40»: the day in Moscow, counted from `now`.
  for (const auto& [word, back] : {std::pair<std::string_view, int>{"сегодня", 0}, {"Сегодня", 0},
                                   {"вчера", 1}, {"Вчера", 1}}) {
    if (!s.starts_with(word)) continue;
    using namespace std::chrono;
    const sys_days day = floor<days>(now + hours(3)) - days(back);
    const year_month_day ymd{day};
    int hour = 0, minute = 0;
    std::string_view rest = std::string_view(s).substr(word.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (!rest.empty()) {
      const auto t = parse_date_format(std::string("01.01.2000 ") + std::string(rest), "%d.%m.%Y %H:%M");
      if (!t) return std::nullopt;
      const auto since = duration_cast<minutes>(*t - sys_days{year{2000} / 1 / 1}).count();
      hour = static_cast<int>(since / 60);
      minute = static_cast<int>(since % 60);
    }
    return make_utc(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                    static_cast<int>(static_cast<unsigned>(ymd.day())), hour, minute, 0, 180);
  }
  for (const std::string_view format : {"%d.%m.%Y %H:%M", "%d.%m.%Y", "%e %B %Y %H:%M", "%e %B %Y", "%d.%m.%y"})
    if (auto t = parse_date_format(s + " +0300", std::string(format) + " %z")) return t;
  return std::nullopt;
}

Result<ParsedPage> parse_vyberu(const ParseInput& input) {
  auto doc = read_html(input.body, input.charset);
  if (!doc) return doc.error();
  XPathContextPtr ctx(xmlXPathNewContext(doc->get()));
  if (!ctx) throw std::bad_alloc();
  ctx->error = ignore_error;

  // The cards of both layouts; a card of the older one inside an item of the newer one is one review.
  const std::string card_expr = "//*[" + cls("reviews-list-item") + "] | //*[" + cls("reviews-card") +
                                " and not(ancestor::*[" + cls("reviews-list-item") + "])]";
  const std::string title_link = ".//a[" + cls("reviews-title") + " or " + cls("reviews-card-title") + "]";
  const std::string title_expr = "(" + title_link + " | .//*[(" + cls("reviews-title") + " or " +
                                 cls("reviews-card-title") + ") and not(self::a)])";
  const std::string text_expr = ".//*[" + cls("reviews-text") + "] | .//*[" + cls("full") + " and " + cls("hidden") +
                                " and not(ancestor::*[" + cls("reviews-text") + "])]";
  // The answer: an element whose class speaks of an answer, the outermost one (its text part when marked).
  const std::string answer_text_expr = ".//*[contains(@class, 'answer-text')]";
  const std::string answer_expr = ".//*[contains(@class, 'answer') and not(ancestor::*[contains(@class, 'answer')])]";
  const std::string date_expr = "(.//*[" + cls("avatar-title-date") + "] | .//*[" + cls("created") + "])";

  std::string reviews_page;
  if (page_of(input.base_url, reviews_page) < 1) reviews_page = input.base_url;
  ParsedPage page;
  const auto cards = select(ctx.get(), card_expr, xmlDocGetRootElement(doc->get()));
  if (cards.empty() && input.body.find("vbr.ru") == std::string_view::npos &&
      input.body.find("reviews-list") == std::string_view::npos)
    return Failure(errc::parse_failed, input.base_url + ": not a vbr.ru reviews page (no review cards)");
  std::size_t index = 0;
  for (xmlNode* card : cards) {
    ++index;
    Mention m = mention_of(input);
    const std::string href = first_of(ctx.get(), title_link + "/@href", card);
    if (!href.empty()) m.url = resolve_url(input.base_url, href);
    std::string id = first_of(ctx.get(), "@data-id", card);
    if (!all_digits(id)) id = first_of(ctx.get(), "@data-review-id", card);
    if (!all_digits(id)) id = trailing_digits(first_of(ctx.get(), "@id", card));
    if (!all_digits(id)) id = number_in_link(href);
    if (!id.empty()) m.external_id = "vbr-" + id;
    if (m.url.empty()) m.url = reviews_page;  // no link of its own: the bank's reviews page
    m.author = first_of(ctx.get(), ".//*[" + cls("avatar-title") + "]", card);
    // The line under the author's name: the review's headline, or, when the card has a title of
    // its own, what the review is about.
    const std::string headline = first_of(ctx.get(), ".//*[" + cls("avatar-title-text") + "]", card);
    m.title = first_of(ctx.get(), title_expr, card);
    if (m.title.empty()) m.title = headline;
    else m.subject = headline;
    m.text = without_controls(clean_text(text_of(ctx.get(), text_expr, card)));
    std::string answer = text_of(ctx.get(), answer_text_expr, card);
    if (answer.empty()) answer = without_answer_heading(clean_text(text_of(ctx.get(), answer_expr, card)));
    m.company_reply = clean_text(answer);
    const std::string label = id.empty() ? "review #" + std::to_string(index) : "review " + id;
    if (m.text.empty()) {
      page.warnings.push_back(label + ": skipped, no text");
      continue;
    }
    const std::string grade = first_of(ctx.get(), ".//*[" + cls("rating-star-simple") + "]", card);
    if (const auto v = parse_number(grade); v && *v > 0) m.rating = normalise_rating(*v, 5);
    else if (!grade.empty()) page.warnings.push_back(label + ": unparsable grade \"" + grade + "\"");
    const std::string date = first_of(ctx.get(), date_expr, card);
    m.published = parse_vyberu_date(date, input.fetched);
    if (!m.published && !date.empty()) page.warnings.push_back(label + ": unparsable date \"" + date + "\"");
    assign_missing_id(m);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

std::optional<std::string> next_vyberu_page(std::string_view url, std::string_view body, const ParsedPage& page) {
  if (page.mentions.empty()) return std::nullopt;
  std::string prefix;
  const long in_path = page_of(url, prefix);
  if (in_path < 1) return std::nullopt;  // not a reviews page
  // Older pages are …/otzivy/?page=N (the current pager, a button) or …/otzivy/N/ (links of the
  // older layout); an address of the second form keeps its form.
  const bool path_paging = in_path > 1;
  long n = in_path;
  if (!path_paging) {
    const auto raw = query_param(url, "page");
    n = 1;
    if (raw && all_digits(*raw)) std::from_chars(raw->data(), raw->data() + raw->size(), n);
    if (n < 1) n = 1;
  }
  const std::string next = std::to_string(n + 1);
  // The pager's "next" button (not disabled), or a link to the next page in either form.
  const std::string button = "//li[" + cls("pager-item-next") + " and not(contains(@class, 'disabled'))]"
                             "[not(.//button[@disabled])]";
  const std::string path = "substring-before(concat(@href, '?'), '?')";
  const std::string next_path = "/otzivy/" + next + "/";
  const std::string link = "//a[substring(" + path + ", string-length(" + path + ") - " +
                           std::to_string(next_path.size() - 1) + ") = '" + next_path + "' or contains(@href, 'page=" +
                           next + "')]";
  const bool more = first_html_match(body, button + " | " + link).has_value();
  if (!more && page.mentions.size() < kFullPage) return std::nullopt;
  if (path_paging) {
    const auto q = url.find('?');
    return prefix + next + "/" + std::string(q == std::string_view::npos ? "" : url.substr(q));
  }
  return with_query_param(url, "page", next);
}

std::string vyberu_url(std::string_view bank) {
  return "https://www.vbr.ru/banki/" + percent_encode_segment(bank) + "/otzivy/";
}

}  // namespace otklik
