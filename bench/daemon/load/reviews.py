"""Customer review text for the load benchmark's feeds, from templates written for it.

English and Russian; positive, neutral and negative. Every text is a few template sentences with
their slots filled ({staff}, {minutes}, …), so texts vary but read like reviews. `complaint_en`
writes the mutator's new reviews: English only and clearly negative (no word that AFINN scores
positive), so that the AFINN-based Node peer flags them as surely as Otklik's lexicons do.
"""

import random

# Businesses a feed is about: (kind, English name, Russian name).
BUSINESSES = [
    ("bank", "Northwind Bank", "Северный банк"),
    ("bank", "Zvezda Bank", "Звезда Банк"),
    ("telecom", "Volna Mobile", "Волна Мобайл"),
    ("telecom", "Skyline Telecom", "Скайлайн Телеком"),
    ("restaurant", "Pelmen House", "Пельменная №1"),
    ("restaurant", "Blue Door Bistro", "Бистро «Синяя дверь»"),
    ("carsharing", "CityDrive", "СитиДрайв"),
    ("clinic", "Family Clinic Plus", "Семейная клиника Плюс"),
    ("shop", "Kvadrat Electronics", "Квадрат Электроника"),
    ("delivery", "Bystro Delivery", "Быстро Доставка"),
    ("hotel", "Hotel Neva", "Отель «Нева»"),
    ("insurance", "Shield Insurance", "Страховая «Щит»"),
]

FILL_EN = {
    "staff": ["the manager", "the cashier", "the operator", "the consultant", "the courier", "the receptionist",
              "the waiter", "the doctor", "the security guard", "the branch manager"],
    "minutes": ["twenty", "forty", "forty-five", "fifty", "ninety"],
    "hours": ["two", "three", "four", "five"],
    "amount": ["$12", "$39.90", "$120", "$250", "$18.50", "$74"],
    "product": ["the card", "the tariff", "the order", "the car", "the appointment", "the loan", "the phone",
                "the room", "the policy", "the delivery"],
    "place": ["the Main Street branch", "the mall office", "the airport desk", "the downtown office",
              "the branch near the station", "the Riverside location"],
    "day": ["on Monday", "last Friday", "on Saturday morning", "yesterday", "two weeks ago", "on my birthday"],
    "weeks": ["two", "three", "four", "six"],
}

FILL_RU = {
    "staff": ["менеджер", "кассир", "оператор", "консультант", "курьер", "администратор", "официант", "врач",
              "охранник", "управляющий отделением"],
    "minutes": ["двадцать", "сорок", "пятьдесят", "полтора часа", "почти час"],
    "hours": ["два", "три", "четыре", "пять"],
    "amount": ["1 200 ₽", "3 490 ₽", "15 000 ₽", "780 ₽", "249 ₽", "52 000 ₽"],
    "product": ["карту", "тариф", "заказ", "машину", "запись к врачу", "кредит", "телефон", "номер", "полис",
                "доставку"],
    "place": ["в отделении на Тверской", "в офисе в торговом центре", "в аэропорту", "в центре города",
              "в отделении у метро", "на Невском"],
    "day": ["в понедельник", "в прошлую пятницу", "в субботу утром", "вчера", "две недели назад",
            "в свой день рождения"],
    "weeks": ["две", "три", "четыре", "шесть"],
}

EN = {
    "positive": {
        "titles": ["Excellent service", "Very happy with {name}", "Quick and friendly", "Best experience so far",
                   "Great team, great result", "Highly recommend", "Pleasantly surprised", "Five stars"],
        "sentences": [
            "I came to {place} {day} and was served within five minutes.",
            "{Staff} was polite, patient and explained every detail of {product} without rushing me.",
            "Everything was done quickly and exactly as promised.",
            "The app works smoothly and I found what I needed in a couple of taps.",
            "I was worried about the paperwork, but it took less than a quarter of an hour.",
            "Prices are fair and there were no hidden fees at all.",
            "They called me back the same day, which I really appreciated.",
            "The place was clean, calm and comfortable, and the staff smiled at every visitor.",
            "My question about {product} was answered clearly and honestly.",
            "I have been a customer for {weeks} years and they keep getting better.",
            "When something went wrong with {product}, they fixed it without any argument.",
            "It is rare to meet such attentive people these days.",
            "The chat replied in a minute and solved my problem on the spot.",
            "I recommend {name} to my friends and family without hesitation.",
            "Thank you to the whole team, you made my day.",
            "Good value for money and a genuinely pleasant experience.",
            "Delivery arrived earlier than expected and everything was in perfect condition.",
            "I will definitely come back.",
        ],
    },
    "neutral": {
        "titles": ["It was okay", "Average experience", "Nothing special", "Some notes after a visit",
                   "Mixed impressions", "A regular visit"],
        "sentences": [
            "I visited {place} {day} to sort out {product}.",
            "There were a few people in the queue and I waited about {minutes} minutes.",
            "{Staff} asked for my passport and filled in the form.",
            "The office is open until eight in the evening on weekdays.",
            "The procedure is the same as at other companies.",
            "Parking is available behind the building.",
            "The app has a new design since the last update.",
            "I paid {amount}, which is the price listed on the website.",
            "The documents were ready on the next working day.",
            "I have not decided yet whether I will keep using {product}.",
            "Some things could be faster, some are fine as they are.",
            "The website lists the opening hours and the address of every branch.",
            "It took about an hour in total, including the paperwork.",
            "I will see how it goes over the next month.",
        ],
    },
    "negative": {
        "titles": ["Never again", "Terrible service", "Very disappointed", "Waste of time and money",
                   "Rude staff and endless queue", "Do not recommend", "Awful experience", "Worst visit ever"],
        "sentences": [
            "I waited {minutes} minutes in the queue at {place} and nobody cared.",
            "{Staff} was rude, rolled their eyes and refused to explain anything about {product}.",
            "They charged me {amount} twice and the refund still has not arrived after {weeks} weeks.",
            "The app crashes every time I try to log in, and the hotline keeps me on hold for ages.",
            "Nobody answers the phone, the chat replies with useless canned messages.",
            "My complaint was ignored for {weeks} weeks.",
            "The price went up without any warning and nobody can say why.",
            "I was pushed into buying insurance I never asked for.",
            "The order arrived damaged, two hours late, and the courier was rude.",
            "This is the worst service I have ever seen.",
            "I am angry and disappointed, and I am closing my account.",
            "They lost my documents and then blamed me for it.",
            "The room was dirty and the air conditioning was broken.",
            "I was told to come back tomorrow three days in a row.",
            "Absolutely terrible, avoid this place.",
        ],
    },
}

RU = {
    "positive": {
        "titles": ["Отличный сервис", "Очень довольна", "Быстро и вежливо", "Всё понравилось",
                   "Спасибо команде", "Рекомендую", "Приятно удивили", "Пять звёзд"],
        "sentences": [
            "Пришла {place} {day}, обслужили за пять минут.",
            "{Staff} вежливо и терпеливо всё объяснил про {product}, никуда не торопил.",
            "Всё сделали быстро и ровно так, как обещали.",
            "Приложение работает без сбоев, нужное нашла за пару касаний.",
            "Боялась бумажной волокиты, а оформление заняло меньше пятнадцати минут.",
            "Цены честные, никаких скрытых комиссий.",
            "Перезвонили в тот же день, очень приятно.",
            "В зале чисто и спокойно, сотрудники приветливые.",
            "На вопрос про {product} ответили понятно и честно.",
            "Пользуюсь услугами уже несколько лет, и становится только лучше.",
            "Когда с заказом возникла проблема, всё исправили без споров.",
            "Редко сейчас встретишь таких внимательных людей.",
            "В чате ответили за минуту и сразу решили вопрос.",
            "Всем знакомым советую, без сомнений.",
            "Спасибо всей команде, вы сделали мой день.",
            "Хорошее соотношение цены и качества.",
            "Доставили раньше срока, всё целое и аккуратно упаковано.",
            "Обязательно приду ещё.",
        ],
    },
    "neutral": {
        "titles": ["Нормально", "Обычный визит", "Ничего особенного", "Впечатления после визита",
                   "Есть плюсы и минусы", "Как везде"],
        "sentences": [
            "Была {place} {day}, оформляла {product}.",
            "В очереди было несколько человек, ждала {minutes} минут.",
            "{Staff} попросил паспорт и заполнил анкету.",
            "Отделение работает до восьми вечера по будням.",
            "Процедура такая же, как в других компаниях.",
            "Парковка есть за зданием.",
            "После обновления у приложения новый дизайн.",
            "Заплатила {amount}, как и указано на сайте.",
            "Документы были готовы на следующий рабочий день.",
            "Пока не решила, буду ли пользоваться дальше.",
            "Что-то можно делать быстрее, что-то и так нормально.",
            "На сайте есть адреса и часы работы всех отделений.",
            "Всего ушло около часа вместе с оформлением.",
            "Посмотрим, как будет через месяц.",
        ],
    },
    "negative": {
        "titles": ["Больше никогда", "Ужасное обслуживание", "Очень разочарована", "Зря потраченное время",
                   "Нахамили и продержали в очереди", "Не рекомендую", "Кошмар", "Худший сервис"],
        "sentences": [
            "Прождала {minutes} минут в очереди {place}, и никому не было дела.",
            "{Staff} нахамил, закатывал глаза и отказался что-либо объяснять про {product}.",
            "Списали {amount} дважды, деньги не вернули уже {weeks} недели.",
            "Приложение вылетает при каждом входе, а на горячей линии держат на удержании по полчаса.",
            "Никто не берёт трубку, в чате отвечают бесполезными шаблонами.",
            "Мою жалобу игнорировали {weeks} недели.",
            "Цену подняли без предупреждения, и никто не может объяснить почему.",
            "Навязали страховку, о которой я не просила.",
            "Заказ привезли повреждённым, на два часа позже, курьер грубил.",
            "Худшего сервиса я не встречала.",
            "Я зла и разочарована, закрываю счёт.",
            "Потеряли мои документы и обвинили в этом меня.",
            "В номере грязно, кондиционер сломан.",
            "Три дня подряд говорили прийти завтра.",
            "Это просто ужасно, обходите стороной.",
        ],
    },
}

# The mutator's complaints: English, clearly negative, no AFINN-positive words (no "help",
# "support", "like", "please", "thanks", "sure", "promise", "fine", "free", "want"…).
COMPLAINT_TITLES = [
    "Terrible wait and rude staff", "Charged twice, no refund", "Awful experience today",
    "Worst service in town", "Disgraceful treatment", "Angry and disappointed", "Useless hotline",
    "Ignored for weeks", "Broken on arrival", "Horrible customer service", "Stay away", "A total scam",
]
COMPLAINT_SENTENCES = [
    "I waited {minutes} minutes at {place} and the queue did not move at all.",
    "{Staff} was rude and shouted at me in front of other customers.",
    "They charged my card {amount} twice and refused to return the money.",
    "The refund I was told about never came, and it has been {weeks} weeks.",
    "The hotline kept me on hold for {hours} hours and then the call dropped.",
    "Nobody answered my emails, and the chat bot is useless.",
    "{Staff} ignored me and kept chatting on the phone.",
    "The order arrived broken and the box was soaked and dirty.",
    "Delivery was {hours} hours late and the courier was rude and angry.",
    "I was forced to pay a hidden fee of {amount} that nobody mentioned.",
    "The app crashed three times and lost my payment.",
    "They blamed me for their own mistake and refused to fix {product}.",
    "This is the worst service I have ever experienced.",
    "I am furious, disappointed and tired of this chaos.",
    "Awful attitude, terrible organisation, a total waste of my time.",
    "My complaint was ignored, then closed without an answer.",
    "The room was dirty, noisy and cold, and the staff did nothing.",
    "They lost my documents and then accused me of lying.",
    "I was misled about {product} and now I pay for their fraud.",
    "Horrible experience, I regret ever choosing them.",
    "Rude, slow and incompetent from start to finish.",
    "Avoid them: the worst decision I made this year.",
]

NAMES_EN = ["James", "Emily", "Michael", "Sarah", "David", "Olivia", "Daniel", "Sophie", "Robert", "Laura",
            "Thomas", "Hannah", "Kevin", "Rachel", "Brian", "Megan", "Peter", "Grace", "Mark", "Alice"]
NAMES_RU = ["Анна", "Дмитрий", "Екатерина", "Сергей", "Ольга", "Алексей", "Марина", "Игорь", "Наталья",
            "Павел", "Ирина", "Андрей", "Татьяна", "Михаил", "Юлия", "Николай", "Светлана", "Владимир"]
INITIALS_EN = "ABCDEFGHJKLMNOPRSTW"
INITIALS_RU = "АБВГДЕКЛМНОПРСТ"


def _fill(template, fill, rng, name):
    out = template
    for key, values in fill.items():
        token = "{" + key + "}"
        cap = "{" + key.capitalize() + "}"
        if token in out:
            out = out.replace(token, rng.choice(values))
        if cap in out:
            v = rng.choice(values)
            out = out.replace(cap, v[0].upper() + v[1:])
    return out.replace("{name}", name)


def _text(sentences, fill, rng, name, lo, hi):
    """Sentences drawn without repeats (refilled when used up) until the text is lo..hi bytes."""
    target = rng.randint(lo, hi)
    pool = []
    parts, size = [], 0
    while size < target:
        if not pool:
            pool = list(sentences)
            rng.shuffle(pool)
        s = _fill(pool.pop(), fill, rng, name)
        n = len(s.encode()) + 1
        if size + n > hi and size >= lo:
            break
        parts.append(s)
        size += n
    return " ".join(parts)


def review(rng, business, lo=1024, hi=1536):
    """One review of a business: (lang, label, title, text, author)."""
    kind, name_en, name_ru = business
    lang = "ru" if rng.random() < 0.5 else "en"
    r = rng.random()
    label = "positive" if r < 0.45 else ("neutral" if r < 0.70 else "negative")
    table, fill, name = (RU, FILL_RU, name_ru) if lang == "ru" else (EN, FILL_EN, name_en)
    title = _fill(rng.choice(table[label]["titles"]), fill, rng, name)
    text = _text(table[label]["sentences"], fill, rng, name, lo, hi)
    if lang == "ru":
        author = f"{rng.choice(NAMES_RU)} {rng.choice(INITIALS_RU)}."
    else:
        author = f"{rng.choice(NAMES_EN)} {rng.choice(INITIALS_EN)}."
    return lang, label, title, text, author


def complaint_en(rng, business, lo=1024, hi=1536):
    """A new, clearly negative English review: (title, text, author)."""
    title = rng.choice(COMPLAINT_TITLES)
    text = _text(COMPLAINT_SENTENCES, FILL_EN, rng, business[1], lo, hi)
    author = f"{rng.choice(NAMES_EN)} {rng.choice(INITIALS_EN)}."
    return title, text, author
