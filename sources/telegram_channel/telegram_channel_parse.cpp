#include "sources/telegram_channel/telegram_channel_parse.hpp"

#include "sources/generic/html_parse.hpp"
#include "sources/generic/xml_util.hpp"
#include "sources/generic/paging.hpp"

#include <cstdlib>

namespace otklik {

Result<ParsedPage> parse_telegram_channel(const ParseInput& input) {
  ItemMapping mapping;
  mapping.items = "//div[" + xpath_has_class("tgme_widget_message") + " and @data-post]";
  mapping.fields.id = "@data-post";
  mapping.fields.text = ".//div[" + xpath_has_class("tgme_widget_message_text") + "]";
  // The post's owner name, else its signature, else the channel's title in the page's header,
  // else the channel's public name from data-post: never an empty author.
  const std::string owner = ".//*[" + xpath_has_class("tgme_widget_message_owner_name") + "]";
  const std::string signature = ".//*[" + xpath_has_class("tgme_widget_message_from_author") + "]";
  const std::string channel_title = "//*[" + xpath_has_class("tgme_channel_info_header_title") + "]";
  mapping.fields.author = xpath_first_nonempty({owner, signature, channel_title, "substring-before(@data-post, '/')"});
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
