#include "sources/telegram_channel/telegram_channel_parse.hpp"

#include "sources/generic/html_parse.hpp"
#include "sources/generic/xml_util.hpp"
#include "sources/generic/paging.hpp"

#include <cstdlib>

namespace otklik {
namespace {

}  // namespace

Result<ParsedPage> parse_telegram_channel(const ParseInput& input) {
  ItemMapping mapping;
  mapping.items = "//div[" + xpath_has_class("tgme_widget_message") + " and @data-post]";
  mapping.fields.id = "@data-post";
  mapping.fields.text = ".//div[" + xpath_has_class("tgme_widget_message_text") + "]";
  mapping.fields.author = ".//*[" + xpath_has_class("tgme_widget_message_owner_name") + "]";
  mapping.fields.url = ".//a[" + xpath_has_class("tgme_widget_message_date") + "]/@href";
  mapping.fields.date = ".//a[" + xpath_has_class("tgme_widget_message_date") + "]/time/@datetime";
  return parse_html(input, mapping);
}

std::string telegram_channel_url(std::string_view channel) {
  std::string c(channel);
  if (!c.empty() && c.front() == '@') c.erase(0, 1);
  return "https://t.me/s/" + c;
}

std::optional<std::string> next_telegram_channel_page(std::string_view url, std::string_view,
                                                      const ParsedPage& page) {
  std::optional<long long> smallest;
  for (const auto& m : page.mentions) {
    const auto slash = m.external_id.rfind('/');
    if (slash == std::string::npos) continue;
    char* end = nullptr;
    const long long id = std::strtoll(m.external_id.c_str() + slash + 1, &end, 10);
    if (end == m.external_id.c_str() + slash + 1 || *end != '\0' || id <= 1) continue;
    if (!smallest || id < *smallest) smallest = id;
  }
  if (!smallest) return std::nullopt;
  return with_query_param(url, "before", std::to_string(*smallest));
}

}  // namespace otklik
