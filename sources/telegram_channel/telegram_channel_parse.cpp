#include "sources/telegram_channel/telegram_channel_parse.hpp"

#include "sources/generic/html_parse.hpp"

namespace otklik {
namespace {

/// An XPath test for one class among several in @class.
std::string has_class(const char* name) {
  return std::string("contains(concat(' ', normalize-space(@class), ' '), ' ") + name + " ')";
}

}  // namespace

Result<ParsedPage> parse_telegram_channel(const ParseInput& input) {
  ItemMapping mapping;
  mapping.items = "//div[" + has_class("tgme_widget_message") + " and @data-post]";
  mapping.fields.id = "@data-post";
  mapping.fields.text = ".//div[" + has_class("tgme_widget_message_text") + "]";
  mapping.fields.author = ".//*[" + has_class("tgme_widget_message_owner_name") + "]";
  mapping.fields.url = ".//a[" + has_class("tgme_widget_message_date") + "]/@href";
  mapping.fields.date = ".//a[" + has_class("tgme_widget_message_date") + "]/time/@datetime";
  return parse_html(input, mapping);
}

}  // namespace otklik
