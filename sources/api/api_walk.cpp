#include "sources/api/api_walk.hpp"

#include "daemon/core/offload.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/url_util.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

/// One page: the call, then the parse on the work executor.
boost::asio::awaitable<Result<ApiPage>> read_page(ApiClient& client, ApiContext& ctx, const WalkSettings& settings,
                                                  const ApiCall& call, const ApiPageParser& parse) {
  auto answered = co_await client.call(ctx, call);
  if (!answered) co_return answered.error();
  const HttpResponse& response = *answered;
  ParseInput input;
  input.body = response.body;
  input.charset = charset_from_content_type(response.header("Content-Type").value_or(""));
  input.base_url = client.url_of(call.target);
  input.source = settings.source;
  input.brand = settings.brand;
  input.fetched = settings.fetched;
  Result<ApiPage> page = co_await offload(settings.work, [&] { return parse(call, input); });
  if (!page) {
    Failure f = page.error();
    f.detail = client.hide(client.options().site + " " + call.method + " " + client.url_of(call.target) + ": " + f.detail);
    co_return f;
  }
  for (auto& w : page->page.warnings) w = client.hide(std::move(w));
  co_return page;
}

}  // namespace

boost::asio::awaitable<Result<WalkResult>> walk_pages(ApiClient& client, ApiContext& ctx, const WalkSettings& settings,
                                                      const ApiCall& first, const ApiPageParser& parse,
                                                      const std::set<std::string>& seen) {
  auto page = co_await read_page(client, ctx, settings, first, parse);
  if (!page) co_return page.error();
  WalkResult out;
  out.pages = 1;
  std::vector<Mention> last = page->page.mentions;
  out.mentions = std::move(page->page.mentions);
  out.warnings = std::move(page->page.warnings);
  std::optional<ApiCall> next = std::move(page->next);
  const std::string what = settings.what.empty() ? std::string() : settings.what + ": ";
  while (next && !seen.empty() && !last.empty() && !reaches_seen(last, seen)) {
    if (out.pages >= settings.max_pages) {
      out.warnings.push_back(what + "stopped after " + std::to_string(out.pages) +
                             " pages (max_pages) before reaching the reviews seen last time; older new reviews are "
                             "not read");
      break;
    }
    auto more = co_await read_page(client, ctx, settings, *next, parse);
    if (!more) {
      out.warnings.push_back(what + "page " + std::to_string(out.pages + 1) + " not read: " + more.error().message() +
                             "; the next poll reads down to here again");
      out.complete = false;
      break;
    }
    ++out.pages;
    for (auto& w : more->page.warnings) out.warnings.push_back(std::move(w));
    last = more->page.mentions;
    out.mentions.insert(out.mentions.end(), more->page.mentions.begin(), more->page.mentions.end());
    next = std::move(more->next);
  }
  co_return out;
}

std::string make_walks_cursor(const std::vector<const std::vector<Mention>*>& walks) {
  boost::json::array ids;
  for (const auto* walk : walks) {
    if (walk == nullptr) continue;
    std::size_t taken = 0;
    for (const auto& m : *walk) {
      if (taken == kCursorIds) break;
      if (m.external_id.empty()) continue;
      ids.emplace_back(m.external_id);
      ++taken;
    }
  }
  if (ids.empty()) return {};
  return boost::json::serialize(boost::json::object{{"seen", std::move(ids)}});
}

}  // namespace otklik
