#pragma once
/// The options shared by the html and json source types: where the items are and where each
/// field is inside an item (XPath expressions for html, JSON pointers for json).

#include <string>
#include <string_view>

namespace otklik {

/// Per-field selectors, relative to one item. "" = the field is not mapped.
struct FieldSelectors {
  std::string id;         ///< the site's id; unmapped or empty → content_hash_id()
  std::string text;       ///< required
  std::string title;
  std::string author;
  std::string author_id;  ///< a stable user id or profile URL
  std::string rating;     ///< a number on the `rating_scale`
  std::string date;
  std::string url;        ///< resolved against the page URL
  std::string reply;      ///< the company's official reply, if the site shows one
};

struct ItemMapping {
  std::string items;              ///< XPath of the item nodes / JSON pointer to the array ("" = root)
  FieldSelectors fields;
  double rating_scale = 5;        ///< ratings are on 0..rating_scale; normalised to 0..5
  std::string date_format = "auto";  ///< "auto" or a parse_date_format() format
};

/// The names of FieldSelectors' members, in declaration order (for config keys and messages).
inline constexpr const char* kFieldNames[] = {"id", "text", "title", "author", "author_id",
                                               "rating", "date", "url", "reply"};

/// The member of `fields` called `name`, or nullptr.
inline std::string* field_by_name(FieldSelectors& fields, std::string_view name) {
  if (name == "id") return &fields.id;
  if (name == "text") return &fields.text;
  if (name == "title") return &fields.title;
  if (name == "author") return &fields.author;
  if (name == "author_id") return &fields.author_id;
  if (name == "rating") return &fields.rating;
  if (name == "date") return &fields.date;
  if (name == "url") return &fields.url;
  if (name == "reply") return &fields.reply;
  return nullptr;
}

}  // namespace otklik
