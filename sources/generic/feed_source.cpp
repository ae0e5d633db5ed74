#include "sources/generic/feed_source.hpp"

#include "daemon/core/mention.hpp"
#include "daemon/core/offload.hpp"
#include "daemon/core/secret.hpp"
#include "sources/generic/block_page.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/url_util.hpp"

namespace otklik {
namespace {

/// `text` with the API key hidden: the query parameter that carries it always ("…&***"), the key
/// alone where it is long enough not to be an ordinary word (real keys are tens of characters).
void hide_key(std::string& text, const std::string& param, const std::string& key) {
  constexpr std::size_t kBareMin = 12;
  text = redact(std::move(text), {encoded_query_pair(param, key), param + "=" + key});
  if (key.size() >= kBareMin) text = redact(std::move(text), {key});
}

/// What makes a page's items what they are: its bytes, the URL its links resolve against and the
/// charset it is read in.
std::string page_digest(std::string_view content_type, std::string_view base_url, std::string_view body) {
  return sha256_hex({content_type, "\n", base_url, "\n", body});
}

}  // namespace

FeedSource::FeedSource(SourceConfig config, PageParser parser, std::string accept)
    : FeedSource(std::move(config), std::move(parser), FeedOptions{std::move(accept), {}, nullptr, 1}) {}

FeedSource::FeedSource(SourceConfig config, PageParser parser, FeedOptions options)
    : config_(std::move(config)), parser_(std::move(parser)), options_(std::move(options)) {
  if (options_.max_pages < 1) options_.max_pages = 1;
}

boost::asio::awaitable<Result<std::pair<HttpResponse, ParsedPage>>> FeedSource::fetch_page(PollContext& ctx,
                                                                                         const std::string& url,
                                                                                         bool conditional,
                                                                                         PageDigest* digest) {
  HttpRequest request;
  request.proxy = config_.proxy;
  // A later page's URL comes from the site: it may reach an internal address only on the
  // configured URL's own host, when that host may (daemon/net/address_policy.hpp).
  request.configured_url = config_.url;
  const bool keyed = !options_.key_param.empty() && !options_.key_value.empty();
  request.url = keyed ? with_query_param(url, options_.key_param, options_.key_value) : url;
  if (!options_.key_header.empty() && !options_.key_value.empty())
    request.headers.emplace_back(options_.key_header, options_.key_prefix + options_.key_value);
  // An API key never travels further than the request: not into errors, parsed URLs or the cursor.
  auto redact = [&](Failure f) {
    if (keyed) hide_key(f.detail, options_.key_param, options_.key_value);
    return f;
  };
  if (conditional) {
    request.etag = ctx.state.etag;
    request.last_modified = ctx.state.last_modified;
  }
  if (!ctx.user_agent.empty()) request.user_agent = ctx.user_agent;
  if (!options_.accept.empty()) request.headers.emplace_back("Accept", options_.accept);
  for (const auto& h : options_.headers) request.headers.push_back(h);

  Result<HttpResponse> fetched = co_await ctx.http.fetch(std::move(request));
  if (!fetched) co_return redact(fetched.error());
  HttpResponse& response = *fetched;
  if (keyed) response.final_url = response.final_url.empty() ? url : without_query_param(response.final_url, options_.key_param);
  if (response.not_modified()) co_return std::pair<HttpResponse, ParsedPage>{std::move(response), ParsedPage{}};
  // A captcha or ban page is "blocked", not a page without reviews (and not a plain HTTP error):
  // the source is reported once and backs off (Retry-After honoured). Looking at the body and
  // parsing it run on the work executor: a page of 100,000 items never holds the event loop.
  const std::string content_type(response.header("Content-Type").value_or(""));
  const std::string base_url = response.final_url.empty() ? url : response.final_url;
  std::string digest_value;
  auto blocked = co_await offload(ctx.work, [&] {
    auto b = detect_block_page(response.status, content_type, response.body);
    if (!b && digest != nullptr) digest_value = page_digest(content_type, base_url, response.body);
    return b;
  });
  if (blocked) {
    Failure failure(errc::blocked, *blocked);
    if (auto status = status_failure(response, ctx.now)) failure.retry_after = status->retry_after;
    co_return redact(failure);
  }
  if (auto failure = status_failure(response, ctx.now)) co_return redact(*failure);
  if (digest != nullptr) {
    digest->value = std::move(digest_value);
    digest->same = !ctx.state.page_digest.empty() && digest->value == ctx.state.page_digest;
    if (digest->same) co_return std::pair<HttpResponse, ParsedPage>{std::move(response), ParsedPage{}};
  }

  ParseInput input;
  input.body = response.body;
  input.charset = charset_from_content_type(content_type);
  input.base_url = base_url;
  input.source = config_.name;
  input.brand = config_.brand;
  input.fetched = ctx.now;
  Result<ParsedPage> page = co_await offload(ctx.work, [&] { return parser_(input); });
  if (!page) {
    Failure failure = page.error();
    // Every failure names the page it is about, once.
    if (!failure.detail.starts_with(input.base_url)) failure.detail = input.base_url + ": " + failure.detail;
    co_return redact(failure);
  }
  for (auto& notice : page->notices)
    if (noticed_.insert(notice.key).second) page->warnings.push_back(std::move(notice.text));
  page->notices.clear();
  if (keyed)
    for (auto& w : page->warnings) hide_key(w, options_.key_param, options_.key_value);
  co_return std::pair<HttpResponse, ParsedPage>{std::move(response), std::move(*page)};
}

boost::asio::awaitable<Result<PollResult>> FeedSource::poll(PollContext ctx) {
  PageDigest digest;
  auto first = co_await fetch_page(ctx, config_.url, true, &digest);
  if (!first) co_return first.error();
  auto& [response, page] = *first;

  PollResult result;
  result.etag = std::string(response.header("ETag").value_or(""));
  result.last_modified = std::string(response.header("Last-Modified").value_or(""));
  if (response.not_modified()) {
    result.not_modified = true;
    // A 304 need not repeat the validators; keep the ones that produced it.
    if (result.etag.empty()) result.etag = ctx.state.etag;
    if (result.last_modified.empty()) result.last_modified = ctx.state.last_modified;
    result.cursor = ctx.state.cursor;
    co_return result;
  }
  if (digest.same) {
    result.unchanged = true;
    result.cursor = ctx.state.cursor;
    co_return result;
  }
  result.mentions = std::move(page.mentions);
  result.warnings = std::move(page.warnings);
  if (!options_.next_page) {
    result.page_digest = std::move(digest.value);
    co_return result;
  }

  // Older pages, while everything on the page just read is new (paged_poll.hpp).
  const std::set<std::string> seen = seen_ids(ctx.state.cursor);
  bool complete = true;
  std::string url = response.final_url.empty() ? config_.url : response.final_url;
  std::string body = std::move(response.body);
  ParsedPage last{result.mentions, {}};
  for (int read = 1; !seen.empty() && !last.mentions.empty() && !reaches_seen(last.mentions, seen); ++read) {
    const auto next = options_.next_page(url, body, last);
    if (!next) break;
    if (read == options_.max_pages) {
      result.warnings.push_back("stopped after " + std::to_string(read) +
                                " pages (max_pages) before reaching the items seen last time; older new items "
                                "are not read");
      break;
    }
    auto more = co_await fetch_page(ctx, *next, false);
    if (!more) {
      result.warnings.push_back("page " + std::to_string(read + 1) + " (" + *next + ") not read: " +
                                more.error().message() + "; the next poll reads down to here again");
      complete = false;
      break;
    }
    auto& [r, p] = *more;
    url = r.final_url.empty() ? *next : r.final_url;
    body = std::move(r.body);
    for (auto& w : p.warnings) result.warnings.push_back(std::move(w));
    result.mentions.insert(result.mentions.end(), p.mentions.begin(), p.mentions.end());
    last = std::move(p);
  }
  // A walk that stopped at a failed page reads down to it again next time, whatever page 1 holds.
  if (complete) result.page_digest = std::move(digest.value);
  result.cursor = complete ? make_cursor(result.mentions) : ctx.state.cursor;
  if (result.cursor.empty()) result.cursor = ctx.state.cursor;
  co_return result;
}

}  // namespace otklik
