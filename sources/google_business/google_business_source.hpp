#pragma once
/// The `google_business` preset: the reviews of the owner's Google Business Profile locations
/// through the official APIs (google_business_api.hpp), one source for every location of an
/// account or for the ones listed in `location_ids`; each review names its location (`subject`).

#include "sources/api/request_budget.hpp"
#include "sources/source.hpp"

#include <memory>

namespace otklik {

SourceType google_business_type(std::shared_ptr<BudgetBook> budgets);

}  // namespace otklik
