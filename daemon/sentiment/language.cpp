// Language of a text, for the scorer's rules and the alert's language: Cyrillic against Latin
// letters, then, for Latin text, English words against words of the other Latin-script languages
// customers write reviews in (German, French, Spanish, Italian, Portuguese, Dutch).
#include "daemon/sentiment/engine.hpp"

#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace otklik::sentiment {
namespace {

// Frequent English words: function words and the words of short reviews ("Good value", "Fast
// delivery, nice staff"). Words that are as much German, French, Spanish, Italian, Portuguese or
// Dutch ("a", "in", "no", "me", "so", "do", "on", "die", "also") are in neither list. Sorted.
constexpr std::array kEnglish = std::to_array<std::string_view>({
    "about", "after", "again", "all", "always", "amazing", "an", "and", "another", "any", "anyone", "are",
    "arrived", "asked", "at", "awesome", "awful", "back", "bad", "be", "beautiful", "because", "been",
    "before", "being", "best", "better", "big", "bought", "broken", "but", "buy", "by", "call", "called",
    "came", "can", "can't", "cheap", "clean", "cold", "could", "customer", "day", "days", "delicious",
    "delivery", "did", "didn't", "dirty", "disappointed", "does", "doesn't", "don't", "easy", "every",
    "everyone", "everything", "excellent", "expensive", "fast", "fine", "food", "for", "fresh", "friendly",
    "from", "get", "good", "got", "great", "had", "happy", "hard", "has", "have", "he", "help", "helpful",
    "her", "here", "him", "his", "horrible", "hot", "hour", "hours", "how", "i", "i'd", "i'll", "i'm", "i've",
    "if", "into", "is", "it", "it's", "item", "its", "just", "like", "little", "lol", "look", "looking",
    "looks", "love", "loved", "lovely", "mine", "money", "month", "more", "most", "much", "my", "never", "new",
    "nice", "nobody", "not", "nothing", "of", "old", "one", "only", "or", "order", "ordered", "other", "our",
    "out", "people", "perfect", "place", "poor", "pretty", "price", "product", "quality", "quick", "really",
    "received", "recommend", "refund", "right", "rude", "said", "she", "slow", "small", "some", "someone",
    "something", "staff", "still", "support", "tasty", "terrible", "than", "thank", "thanks", "that", "the",
    "their", "them", "then", "there", "they", "they're", "thing", "this", "time", "to", "told", "too", "up",
    "use", "used", "using", "value", "very", "wait", "waited", "was", "waste", "way", "we", "we're", "week",
    "well", "were", "what", "when", "where", "which", "who", "why", "will", "with", "won't", "work", "working",
    "works", "worse", "worst", "worth", "would", "wrong", "year", "you", "you're", "your"});
// Frequent words of the other Latin-script languages — function words and the words of short
// reviews: «Sehr gut», «Très bien», «Muy bueno», «Consegna veloce», «Snelle levering» are not
// English. Sorted.
constexpr std::array kOtherLatin = std::to_array<std::string_view>({
    "aanrader", "aber", "alles", "anche", "artikel", "au", "auf", "aux", "avec", "bedankt", "bene", "bien",
    "boa", "bom", "bon", "bonne", "buena", "bueno", "buono", "c'est", "calidad", "ce", "cette", "che", "chez",
    "consegna", "consiglio", "da", "danke", "dans", "das", "del", "della", "der", "des", "di", "du", "een",
    "ein", "eine", "einen", "el", "elle", "empfehle", "empfehlenswert", "en", "entrega", "envio", "es",
    "essen", "est", "está", "et", "excelente", "fue", "für", "goed", "gracias", "grazie", "gut", "het", "ich",
    "ik", "il", "ils", "immer", "ist", "j'ai", "je", "kein", "keine", "kwaliteit", "la", "las", "le", "leider",
    "les", "levering", "lieferung", "livraison", "lo", "los", "maar", "mais", "mala", "malo", "mas", "mauvais",
    "merci", "mit", "molto", "muito", "muy", "más", "n'est", "nicht", "nichts", "niente", "niet", "nous",
    "nul", "nur", "não", "obrigada", "obrigado", "ottimo", "para", "pas", "pero", "por", "precio", "preis",
    "prezzo", "prijs", "prix", "prodotto", "producto", "produit", "produkt", "produto", "qualidade", "que",
    "questo", "qui", "rapide", "rapido", "recomiendo", "recommande", "rien", "schlecht", "schnell", "schnelle",
    "se", "sehr", "sie", "sind", "slecht", "snel", "snelle", "sono", "sont", "su", "sur", "tevreden", "tout",
    "tres", "trop", "très", "tutto", "uma", "una", "und", "une", "veloce", "voor", "vous", "vraiment", "ware",
    "wel", "wieder", "wir", "wirklich", "y", "zeer", "zijn", "zu", "zufrieden", "ótimo"});
static_assert(std::ranges::is_sorted(kEnglish) && std::ranges::is_sorted(kOtherLatin));

/// Latin words up to which a text with no clue either way is taken for English.
constexpr int kShortText = 6;

/// Whether `w` is one of the words of `List`: a hash set built on first use and never changed (a
/// binary search of 214 words for each Latin word was a hundredth of `otklik score`).
template <const auto& List>
bool listed(std::string_view w) {
  static const boost::unordered_flat_set<std::string_view, FastStringHash, StringEq> words(List.begin(), List.end());
  return words.contains(w);
}

/// Whether a word has letters beyond ASCII (é, ñ, ü, ß, ø…): English words almost never do.
bool accented(std::string_view w) {
  return std::ranges::any_of(w, [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

}  // namespace

Lang detect_language(const TokenBuffer& buf, Lang hint, Lang fallback) {
  if (hint == Lang::ru || hint == Lang::en || hint == Lang::other) return hint;
  const std::uint32_t cyr = buf.letters_cyrillic;
  const std::uint32_t lat = buf.letters_latin;
  if (cyr + lat == 0) return fallback == Lang::automatic ? Lang::other : fallback;
  if (cyr >= lat) return Lang::ru;
  // Latin text: English words against other languages' words and accented words, each word one
  // vote; a lead of three decides at once, so a long text is not read to its end.
  int english = 0;
  int other = 0;
  int latin_words = 0;
  for (const Token& t : buf.tokens) {
    if (t.kind != TokenKind::word || t.script != Script::latin) continue;
    ++latin_words;
    std::string_view w = buf.norm(t);
    if (w.size() > 2 && w.ends_with("'s")) w.remove_suffix(2);  // "people's", "it's" stays listed
    if (listed<kEnglish>(w) || listed<kEnglish>(buf.norm(t))) ++english;
    else if (!t.caps && (listed<kOtherLatin>(w) || accented(w))) ++other;  // "EN/ES" are abbreviations
    if (english - other >= 3) return Lang::en;
    if (other - english >= 3) return Lang::other;
  }
  if (english > other) return Lang::en;
  if (other > english) return Lang::other;
  // No clue either way: a short text with no word of another language ("Excellent bluetooth
  // headset", a brand, «ok») reads as English; longer text is the configured language or "other".
  if (other == 0 && latin_words <= kShortText) return Lang::en;
  return fallback == Lang::en || fallback == Lang::ru ? fallback : Lang::other;
}

}  // namespace otklik::sentiment
