#pragma once
/// The Google Alerts preset: an alert's Atom feed (https://www.google.com/alerts/feeds/USER/ALERT,
/// "Deliver to: RSS feed" in Google Alerts). Each entry is a page that matched the alert's query:
/// title and snippet (HTML, the query words in <b>), the page behind a google.com/url redirect,
/// a stable entry id ("tag:google.com,2013:googlealerts/feed:…") and the published time. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <string>
#include <string_view>

namespace otklik {

/// The target of a Google redirect link ("https://www.google.com/url?rct=j&sa=t&url=TARGET&ct=ga…",
/// also with q=TARGET): TARGET percent-decoded when it is an http(s) URL; other URLs unchanged.
std::string unwrap_google_redirect(std::string_view url);

/// Parses an alert's feed (an Atom document) into mentions whose url is the page itself.
Result<ParsedPage> parse_google_alerts(const ParseInput& input);

}  // namespace otklik
