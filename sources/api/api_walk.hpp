#pragma once
/// Reading an API's review list newest first, page after page, with the rule every paged source
/// follows (sources/generic/paged_poll.hpp): a later poll reads on while everything on the page
/// just read is new, and stops at the first page holding an item seen last time, at the last page,
/// or at the page limit; the first poll (nothing seen) reads one page. A site supplies the first
/// call and a pure parser that turns one answer into mentions and the call for the next page.

#include "sources/api/api_client.hpp"
#include "sources/generic/parsed_page.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace otklik {

/// One answer, parsed: its mentions and the call that reads the next (older) page, nullopt on the
/// last page.
struct ApiPage {
  ParsedPage page;
  std::optional<ApiCall> next;
};

/// Pure: the call that was made (to know its paging state) and the answer's body.
using ApiPageParser = std::function<Result<ApiPage>(const ApiCall& sent, const ParseInput& input)>;

/// Where a walk's parsing runs and what it copies into each mention.
struct WalkSettings {
  std::string source;                     ///< the [[source]] name
  std::string brand;
  TimePoint fetched{};
  boost::asio::any_io_executor work{};    ///< parsing off the event loop (empty: inline)
  int max_pages = 1;
  /// For warnings: what this walk reads ("unanswered feedbacks"); "" for a source's only walk.
  std::string what;
};

struct WalkResult {
  std::vector<Mention> mentions;          ///< in the API's order (newest first)
  std::vector<std::string> warnings;
  bool complete = true;                   ///< false: a later page failed, the cursor must stay
  int pages = 0;
};

/// Reads from `first` as described above. Pass a named ApiCall, not a braced temporary: GCC 12
/// destroys a temporary of a co_await expression twice. A failure of the first page is the walk's failure; a
/// later page's failure ends the walk with a warning and `complete` false. Warnings and failures
/// pass through the client's hide().
boost::asio::awaitable<Result<WalkResult>> walk_pages(ApiClient& client, ApiContext& ctx, const WalkSettings& settings,
                                                      const ApiCall& first, const ApiPageParser& parse,
                                                      const std::set<std::string>& seen);

/// The cursor after several walks of one poll (the unanswered and the answered list, every
/// location of an account): the newest kCursorIds ids of each, in one {"seen": […]} cursor that
/// seen_ids() reads.
std::string make_walks_cursor(const std::vector<const std::vector<Mention>*>& walks);

}  // namespace otklik
