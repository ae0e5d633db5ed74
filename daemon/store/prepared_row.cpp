// prepare_row: the CPU part of a mention's row, made on the pipeline's work threads
// (mention_store.hpp: PreparedRow).

#include "daemon/store/mention_store.hpp"
#include "daemon/store/packed_text.hpp"
#include "daemon/store/sentiment_json.hpp"
#include "daemon/store/stored_understanding.hpp"

namespace otklik {

void prepare_row(IngestItem& item) {
  PreparedRow& p = item.prepared;
  p.text_hash = text_hash(item.mention);
  p.packed_text = store::pack_if_worth(item.mention.text);
  p.sentiment_json = item.sentiment.label == Label::negative ? store::sentiment_to_json(item.sentiment) : std::string();
  p.packed_sentiment = store::pack_if_worth(p.sentiment_json, 0);
  p.understanding_json = store::stored_understanding(item.understanding, item.sentiment.label, item.mention);
  p.packed_understanding = store::pack_if_worth(p.understanding_json, 0);
  p.understanding_ready = true;
  p.ready = true;
}

}  // namespace otklik
