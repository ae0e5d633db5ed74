#pragma once
/// What a store writes for a mention's row (mention_store.hpp: PreparedRow), whether the pipeline
/// made it ahead or not.

#include "daemon/store/mention_store.hpp"

namespace otklik::store {

/// `given` when it is ready and its understanding part is not stale; otherwise the row made here
/// into `scratch` (keeping what `given` has ready), which is then returned. The pipeline's rows
/// are complete but for a repeat author found on the store's thread; tests and one-item ingests
/// give none.
const PreparedRow& complete_row(const PreparedRow& given, const Mention& m, const Sentiment& s,
                                const understanding::Understanding& u, PreparedRow& scratch);

}  // namespace otklik::store
