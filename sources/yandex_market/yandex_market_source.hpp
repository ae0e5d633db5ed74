#pragma once
/// The `yandex_market` preset: the goods feedback of a business (cabinet) through the Yandex
/// Market Partner API.

#include "sources/api/request_budget.hpp"
#include "sources/source.hpp"

#include <memory>

namespace otklik {

/// Keys: business_id, api_key (secret), max_pages. Each poll walks the feedback newest first down
/// to the feedback seen last time (the first page every time, so that an answer given since comes
/// back) and looks up the business's comments on the feedback the shop has reacted to.
SourceType yandex_market_type(std::shared_ptr<BudgetBook> budgets);

}  // namespace otklik
