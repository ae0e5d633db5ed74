// prepare_row: the CPU part of a mention's row, made on the pipeline's work threads
// (mention_store.hpp: PreparedRow); complete_row: the same on the store's thread when missing.

#include "daemon/store/prepared_row.hpp"

#include "daemon/store/packed_text.hpp"
#include "daemon/store/sentiment_json.hpp"
#include "daemon/store/stored_understanding.hpp"

namespace otklik {
namespace {

void make_text_parts(PreparedRow& p, const Mention& m, const Sentiment& s) {
  p.text_hash = text_hash(m);
  p.packed_text = store::pack_if_worth(m.text);
  p.sentiment_json = s.label == Label::negative ? store::sentiment_to_json(s) : std::string();
  p.packed_sentiment = store::pack_if_worth(p.sentiment_json, 0);
  p.ready = true;
}

void make_understanding_part(PreparedRow& p, const Mention& m, const Sentiment& s,
                             const understanding::Understanding& u) {
  p.understanding_json = store::stored_understanding(u, s.label, m);
  p.packed_understanding = store::pack_if_worth(p.understanding_json, 0);
  p.understanding_ready = true;
}

}  // namespace

void prepare_row(IngestItem& item) {
  make_text_parts(item.prepared, item.mention, item.sentiment);
  make_understanding_part(item.prepared, item.mention, item.sentiment, item.understanding);
}

namespace store {

const PreparedRow& complete_row(const PreparedRow& given, const Mention& m, const Sentiment& s,
                                const understanding::Understanding& u, PreparedRow& scratch) {
  if (given.ready && given.understanding_ready) return given;
  if (given.ready) scratch = given;
  else make_text_parts(scratch, m, s);
  make_understanding_part(scratch, m, s, u);
  return scratch;
}

}  // namespace store
}  // namespace otklik
