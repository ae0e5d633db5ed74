#include "daemon/understanding/clause_shape.hpp"

#include "daemon/understanding/word_set.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace otklik::understanding {
namespace {

bool ends(std::string_view w, std::string_view suffix) { return w.ends_with(suffix); }

/// Code points of a UTF-8 word.
std::size_t letters(std::string_view w) {
  return static_cast<std::size_t>(
      std::count_if(w.begin(), w.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// Whether a word starts with a basic Cyrillic letter (U+0400–U+047F: lead byte 0xD0 or 0xD1).
bool cyrillic(std::string_view w) {
  if (w.empty()) return false;
  const auto lead = static_cast<unsigned char>(w[0]);
  return lead == 0xD0 || lead == 0xD1;
}

// English. Auxiliaries, modals, their negations and the adverbs that sit before a verb.
constexpr std::array kEnglishMarkers = std::to_array<std::string_view>({
    "am", "is", "are", "was", "were", "has", "have", "had", "do", "does", "did", "will", "would", "shall",
    "should", "can", "could", "may", "might", "must", "cannot", "isn't", "aren't", "wasn't", "weren't",
    "hasn't", "haven't", "hadn't", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't",
    "shouldn't", "mustn't", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt", "dont", "doesnt",
    "didnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt", "never", "always", "still", "just", "already",
    "even", "also", "barely", "hardly", "finally", "keep", "keeps", "kept", "ain't"});
// Irregular pasts and third-person forms frequent in complaints (regular pasts end in -ed).
constexpr std::array kEnglishForms = std::to_array<std::string_view>({
    "came", "went", "took", "got", "gave", "said", "told", "left", "sent", "made", "broke", "lost", "found",
    "paid", "sold", "brought", "bought", "thought", "felt", "saw", "ate", "hung", "spoke", "wrote", "stole",
    "forgot", "knew", "began", "stood", "sat", "ran", "fell", "threw", "drove", "chose", "tore", "became",
    "says", "sends", "refuses", "takes", "gives", "tells", "asks", "wants", "needs", "ignores", "works",
    "crashes", "freezes", "breaks", "leaks", "smells", "tastes", "looks", "seems", "costs", "comes", "goes",
    "gets", "makes", "answers", "replies", "calls", "hangs", "rings", "shows", "stays", "happens", "charges",
    "blames", "claims", "promises", "insists", "pretends", "loses", "loads", "fails", "drops", "lies",
    "treats", "expects", "requires", "hides"});
constexpr std::array kDeterminers = std::to_array<std::string_view>({
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "its", "this", "that", "these", "those",
    "some", "no", "any", "every", "each", "another", "such"});
// Pronouns that are a subject whatever word follows ("I want…", «я жду…»); pronouns that need a
// verb within three words («все остальные тоже» is no clause); contractions that are a subject
// and a verb at once.
constexpr std::array kSubjects = std::to_array<std::string_view>({
    "i", "we", "they", "he", "she", "you", "it", "nobody", "noone", "someone", "somebody", "я", "мы", "ты",
    "вы", "он", "она", "оно", "они", "никто", "everyone"});
constexpr std::array kWeakSubjects = std::to_array<std::string_view>({
    "there", "nothing", "everything", "everybody", "все", "это", "кто", "ничего", "ничто"});
constexpr std::array kSubjectVerb = std::to_array<std::string_view>({
    "i'm", "im", "i've", "ive", "i'll", "i'd", "we're", "we've", "we'll", "we'd", "they're", "theyre",
    "they've", "they'll", "they'd", "he's", "he'll", "he'd", "she's", "she'll", "she'd", "you're", "youre",
    "you've", "you'll", "you'd", "it's", "its", "it'll", "that's", "thats", "there's", "nobody's", "someone's",
    "somebody's", "everyone's", "everything's", "nothing's"});
// Words skipped before the subject ("and then they hung up", «и потом курьер нагрубил»).
constexpr std::array kOpeners = std::to_array<std::string_view>({
    "then", "so", "now", "later", "also", "still", "yet", "even", "again", "finally", "eventually",
    "afterwards", "потом", "затем", "теперь", "тут", "еще", "уже", "вдруг", "тоже", "также", "вот", "опять"});
// Words a subject does not start with or hold: prepositions, adverbs, particles, conjunctions.
constexpr std::array kNotSubject = std::to_array<std::string_view>({
    "to", "for", "with", "at", "in", "on", "of", "from", "by", "about", "after", "before", "without", "into",
    "over", "under", "through", "during", "until", "since", "because", "if", "when", "while", "than", "as",
    "like", "very", "really", "too", "quite", "not", "and", "but", "or", "в", "на", "с", "к", "по", "за", "из",
    "у", "от", "до", "для", "без", "при", "о", "об", "про", "через", "над", "под", "перед", "между", "ни",
    "очень", "так", "как", "же", "ли", "бы", "и", "а", "но"});

// Russian. Nouns and other words whose endings look like a verb's (-л, -ла, -ет, -ит, -ут…).
constexpr std::array kRussianNotVerbs = std::to_array<std::string_view>({
    "мол", "пол", "зал", "бал", "вал", "гол", "кол", "стол", "угол", "мало", "зло", "сало", "дела", "дело",
    "тело", "тела", "село", "мыло", "крыло", "число", "стекло", "роли", "доли", "соли", "воли", "боли", "или",
    "угли", "козла", "узла", "персонал", "филиал", "терминал", "сигнал", "канал", "журнал", "материал",
    "вокзал", "скандал", "сериал", "идеал", "финал", "портал", "капитал", "интервал", "ответ", "привет",
    "совет", "билет", "пакет", "предмет", "кабинет", "интернет", "бюджет", "туалет", "секрет", "запрет",
    "портрет", "паркет", "букет", "цвет", "свет", "планшет", "сюжет", "монет", "ракет", "газет", "анкет",
    "конфет", "сигарет", "котлет", "кредит", "лимит", "депозит", "визит", "аппетит", "транзит", "бандит",
    "магнит", "минут", "маршрут", "институт", "атрибут", "валют", "уют", "салют", "приют", "парашют", "ребят",
    "котят", "цыплят", "брат", "штат", "будто", "если", "пусть", "ведь", "быть", "опять", "ничего", "всего",
    "него", "ее", "ли"});
constexpr std::array kRussianNotVerbEndings = std::to_array<std::string_view>({
    "чет", "итет", "лет", "ская", "ские"});

bool vowel_before(std::string_view w, std::size_t tail_bytes) {
  if (w.size() < tail_bytes + 2) return false;
  const std::string_view v = w.substr(w.size() - tail_bytes - 2, 2);
  return v == "а" || v == "е" || v == "и" || v == "о" || v == "у" || v == "ы" || v == "я";
}

/// Whether `w` ends in a letter that one of the endings and words russian_shape looks for ends
/// in: т, я, е, ь, л, а, о or и. A word that ends otherwise (most words) has no verb shape, and
/// is told so without a lookup and thirty comparisons of its ending.
bool ends_as_verb_may(std::string_view w) {
  if (w.size() < 2) return false;
  const auto lead = static_cast<unsigned char>(w[w.size() - 2]);
  const auto next = static_cast<unsigned char>(w[w.size() - 1]);
  if (lead == 0xD0) return next == 0xB5 || next == 0xBB || next == 0xB0 || next == 0xBE || next == 0xB8;  // е л а о и
  if (lead == 0xD1) return next == 0x82 || next == 0x8F || next == 0x8C;                                  // т я ь
  return false;
}

VerbShape russian_shape(std::string_view w) {
  if (!ends_as_verb_may(w)) return VerbShape::none;
  if (w == "не" || w == "нет" || w == "есть") return VerbShape::marker;
  if (listed<kRussianNotVerbs>(w)) return VerbShape::none;
  for (std::string_view e : kRussianNotVerbEndings)
    if (ends(w, e)) return VerbShape::none;
  const std::size_t n = letters(w);
  // Past tense: ждал, была, было, ждали; reflexive нахамился, вернулась, разбилось, отказались.
  if (n >= 5 && (ends(w, "лся") || ends(w, "лась") || ends(w, "лось") || ends(w, "лись"))) return VerbShape::form;
  if (n >= 3 && ends(w, "л") && vowel_before(w, 2)) return VerbShape::form;
  if (n >= 4 && (ends(w, "ла") || ends(w, "ло") || ends(w, "ли")) && vowel_before(w, 4)) return VerbShape::form;
  // Past after a consonant stem: пришли, ушла, могли, помогла, привезли.
  if (n >= 4 && (ends(w, "шли") || ends(w, "шла") || ends(w, "шло") || ends(w, "гли") || ends(w, "гла") ||
                 ends(w, "зли") || ends(w, "зла")))
    return VerbShape::form;
  // Present and future, third person: ждёт, говорит, молчат, стоят, врут, отвечают; -ся forms.
  if (n >= 5 && (ends(w, "ется") || ends(w, "ится") || ends(w, "ются") || ends(w, "ятся") || ends(w, "утся") ||
                 ends(w, "атся")))
    return VerbShape::form;
  if (n >= 4 && (ends(w, "ет") || ends(w, "ит") || ends(w, "ют") || ends(w, "ут") || ends(w, "ят")))
    return VerbShape::form;
  // -ат only after a hushing consonant (молчат, кричат, лежат): банкомат, салат are nouns.
  if (n >= 5 && (ends(w, "жат") || ends(w, "чат") || ends(w, "шат") || ends(w, "щат"))) return VerbShape::form;
  return VerbShape::none;
}

VerbShape english_shape(std::string_view w) {
  if (listed<kEnglishMarkers>(w)) return VerbShape::marker;
  if (listed<kEnglishForms>(w)) return VerbShape::form;
  if (w.size() >= 5 && ends(w, "ed") && !ends(w, "eed")) return VerbShape::form;
  return VerbShape::none;
}

}  // namespace

VerbShape verb_shape(std::string_view word) {
  if (word.empty()) return VerbShape::none;
  return cyrillic(word) ? russian_shape(word) : english_shape(word);
}

bool acts_as_verb(std::string_view word, std::string_view previous) {
  const VerbShape v = verb_shape(word);
  return v == VerbShape::marker || (v == VerbShape::form && !listed<kDeterminers>(previous));
}

bool opens_clause(std::span<const std::string_view> words) {
  std::size_t i = 0;
  while (i < words.size() && listed<kOpeners>(words[i])) ++i;
  if (i >= words.size()) return false;
  const auto verb_at = [&](std::size_t k) { return acts_as_verb(words[k], k > 0 ? words[k - 1] : std::string_view()); };
  if (listed<kSubjectVerb>(words[i])) return true;  // "it's", "they're"
  const auto verb_within_three = [&] {
    for (std::size_t k = i + 1; k < words.size() && k <= i + 3; ++k)
      if (verb_at(k)) return true;
    return false;
  };
  if (listed<kSubjects>(words[i]))  // "they hung up", «он так и не приехал»
    return i + 1 < words.size() && (!listed<kNotSubject>(words[i + 1]) || verb_within_three());
  if (listed<kWeakSubjects>(words[i])) return verb_within_three();  // "there was", «все молчат»
  // One to three subject words, then a verb: "support keeps", "the box was", «деньги не вернули».
  for (std::size_t k = i; k < words.size() && k <= i + 3; ++k) {
    if (verb_at(k)) return k > i;
    if (listed<kNotSubject>(words[k])) return false;
  }
  return false;
}

}  // namespace otklik::understanding
