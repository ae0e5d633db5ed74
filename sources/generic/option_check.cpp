#include "sources/generic/option_check.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_parse.hpp"
#include "sources/generic/json_parse.hpp"

#include <functional>
#include <optional>

namespace otklik {
namespace {

using SelectorCheck = std::function<std::optional<std::string>(std::string_view)>;

std::string field_list() {
  std::string out;
  for (const char* name : kFieldNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

void check_fields(const toml::node& node, const SourceConfig& source, const std::string& key,
                  const SelectorCheck& check, std::string_view selector_kind, ConfigProblems& problems) {
  const toml::table* fields = node.as_table();
  if (fields == nullptr) {
    problems.error(key, option_line(node, source), "expected a table of field selectors");
    return;
  }
  for (const auto& [name, value] : *fields) {
    const std::string field_key = key + "." + std::string(name.str());
    FieldSelectors probe;
    if (field_by_name(probe, name.str()) == nullptr) {
      problems.error(field_key, option_line(value, source), "unknown field (known: " + field_list() + ")");
      continue;
    }
    const auto* text = value.as_string();
    if (text == nullptr) {
      problems.error(field_key, option_line(value, source), "expected a string (" + std::string(selector_kind) + ")");
      continue;
    }
    if (text->get().empty() && selector_kind == "XPath") {
      problems.error(field_key, option_line(value, source), "empty XPath");
      continue;
    }
    if (auto error = check(text->get())) problems.error(field_key, option_line(value, source), *error);
  }
  if (!fields->contains("text"))
    problems.error(key + ".text", option_line(node, source), "missing required field selector");
}

void check_mapping(const SourceConfig& source, const std::string& prefix, ConfigProblems& problems,
                   std::string_view items_key, bool items_required, const SelectorCheck& check,
                   std::string_view selector_kind) {
  for (const auto& [key, value] : source.options) {
    const std::string name(key.str());
    const std::string path = prefix + "." + name;
    const int line = option_line(value, source);
    if (name == items_key) {
      const auto* text = value.as_string();
      if (text == nullptr) problems.error(path, line, "expected a string (" + std::string(selector_kind) + ")");
      else if (text->get().empty() && items_required) problems.error(path, line, "empty XPath");
      else if (auto error = check(text->get())) problems.error(path, line, *error);
    } else if (name == "fields") {
      check_fields(value, source, path, check, selector_kind, problems);
    } else if (name == "rating_scale") {
      const auto number = value.value<double>();
      if (!value.is_number() || !number || !(*number > 0))
        problems.error(path, line, "expected a positive number (the best rating on the site's scale)");
    } else if (name == "date_format") {
      const auto* text = value.as_string();
      if (text == nullptr) problems.error(path, line, "expected a string: \"auto\" or a format like \"%d.%m.%Y %H:%M\"");
      else if (text->get() != "auto" && !valid_date_format(text->get()))
        problems.error(path, line, "unknown conversion in date format (known: %Y %y %m %d %e %H %M %S %b %B %z %%)");
    } else {
      problems.error(path, line, "unknown key for a source of type \"" + source.type + "\"");
    }
  }
  if (items_required && !source.options.contains(items_key))
    problems.error(prefix + "." + std::string(items_key), source.line, "missing required key");
  if (!source.options.contains("fields"))
    problems.error(prefix + ".fields", source.line, "missing required table (at least fields.text)");
}

}  // namespace

void validate_rss_options(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems) {
  for (const auto& [key, value] : source.options)
    problems.error(key_prefix + "." + std::string(key.str()), option_line(value, source),
                   "unknown key for a source of type \"" + source.type + "\"");
}

void validate_html_options(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems) {
  check_mapping(source, key_prefix, problems, "item", true, xpath_error, "XPath");
}

void validate_json_options(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems) {
  check_mapping(source, key_prefix, problems, "items", false, json_pointer_error, "JSON pointer");
}

int option_line(const toml::node& node, const SourceConfig& source) {
  const auto line = node.source().begin.line;
  return line > 0 ? static_cast<int>(line) : source.line;
}

ItemMapping mapping_from_options(const toml::table& options, std::string_view items_key) {
  ItemMapping mapping;
  mapping.items = options[items_key].value_or(std::string{});
  if (const toml::table* fields = options["fields"].as_table()) {
    for (const auto& [name, value] : *fields)
      if (std::string* slot = field_by_name(mapping.fields, name.str()))
        *slot = value.value_or(std::string{});
  }
  mapping.rating_scale = options["rating_scale"].value_or(5.0);
  mapping.date_format = options["date_format"].value_or(std::string("auto"));
  return mapping;
}

}  // namespace otklik
