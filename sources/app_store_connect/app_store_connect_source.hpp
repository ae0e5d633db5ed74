#pragma once
/// The `app_store_connect` preset: the customer reviews of one app through the App Store Connect
/// API with the team's API key (docs/sources.md#app_store_connect).
///
/// Each poll reads the reviews newest first (links.next pages until a review seen last time; one
/// page on the first poll), then the first page of the reviews with a published response, so that
/// an answer given later to a recent review comes back to the daemon and closes its case.

#include "sources/api/request_budget.hpp"
#include "sources/source.hpp"

#include <memory>

namespace otklik {

SourceType app_store_connect_type(std::shared_ptr<BudgetBook> budgets);

}  // namespace otklik
