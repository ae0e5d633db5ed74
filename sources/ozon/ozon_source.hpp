#pragma once
/// The `ozon` preset: the reviews of a seller's products through the Ozon Seller API.

#include "sources/api/request_budget.hpp"
#include "sources/source.hpp"

#include <memory>

namespace otklik {

/// Keys: client_id, api_key (secret), max_pages. Each poll walks the unprocessed reviews newest
/// first down to the ones seen last time, reads the first page of the processed ones (so that a
/// review the seller answered comes back with its answer), and looks up the seller's comments on
/// the reviews that have comments.
SourceType ozon_type(std::shared_ptr<BudgetBook> budgets);

}  // namespace otklik
