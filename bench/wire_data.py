"""Word lists for the synthetic wire corpus: countries, people, forums, phrases.

Plain data, kept apart from ``generate.py`` so the generator reads as the
story structure it produces. Names of office holders are illustrative; what
matters for the benchmark is the shape of the text (demonym + role + full
name, later the short name; forums defined once with their acronym).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    name: str
    demonym: str
    capital: str
    iso: str
    region: str  # the Markdown twin's category
    leaders: tuple[tuple[str, str, str], ...] = ()  # (role, full name, short name)
    other_cities: tuple[str, ...] = ()  # datelines like "KAZAN, Russia"


def _c(name, demonym, capital, iso, region, leaders=(), cities=()):
    return Country(name, demonym, capital, iso, region, tuple(leaders), tuple(cities))


COUNTRIES = (
    _c("China", "Chinese", "Beijing", "CN", "Asia-Pacific",
       [("President", "Xi Jinping", "Xi"), ("Premier", "Li Qiang", "Li"),
        ("Foreign Minister", "Wang Yi", "Wang")], ["Shanghai", "Guangzhou", "Xiamen"]),
    _c("Kenya", "Kenyan", "Nairobi", "KE", "Africa",
       [("President", "William Ruto", "Ruto")], ["Mombasa"]),
    _c("South Africa", "South African", "Pretoria", "ZA", "Africa",
       [("President", "Cyril Ramaphosa", "Ramaphosa")], ["Johannesburg", "Durban"]),
    _c("Brazil", "Brazilian", "Brasilia", "BR", "Americas",
       [("President", "Luiz Inacio Lula da Silva", "Lula")], ["Rio de Janeiro", "Sao Paulo"]),
    _c("Russia", "Russian", "Moscow", "RU", "Europe",
       [("President", "Vladimir Putin", "Putin"), ("Foreign Minister", "Sergei Lavrov", "Lavrov")],
       ["Kazan", "St. Petersburg", "Vladivostok"]),
    _c("India", "Indian", "New Delhi", "IN", "Asia-Pacific",
       [("Prime Minister", "Narendra Modi", "Modi")], ["Mumbai"]),
    _c("Indonesia", "Indonesian", "Jakarta", "ID", "Asia-Pacific",
       [("President", "Joko Widodo", "Widodo")], ["Bali"]),
    _c("Egypt", "Egyptian", "Cairo", "EG", "Middle East",
       [("President", "Abdel Fattah al-Sisi", "Sisi")], ["Sharm El-Sheikh"]),
    _c("Ethiopia", "Ethiopian", "Addis Ababa", "ET", "Africa",
       [("Prime Minister", "Abiy Ahmed", "Abiy")]),
    _c("Nigeria", "Nigerian", "Abuja", "NG", "Africa",
       [("President", "Bola Tinubu", "Tinubu")], ["Lagos"]),
    _c("Vietnam", "Vietnamese", "Hanoi", "VN", "Asia-Pacific",
       [("Prime Minister", "Pham Minh Chinh", "Chinh")], ["Ho Chi Minh City"]),
    _c("Malaysia", "Malaysian", "Kuala Lumpur", "MY", "Asia-Pacific",
       [("Prime Minister", "Anwar Ibrahim", "Anwar")]),
    _c("Thailand", "Thai", "Bangkok", "TH", "Asia-Pacific"),
    _c("Pakistan", "Pakistani", "Islamabad", "PK", "Asia-Pacific",
       [("Prime Minister", "Shehbaz Sharif", "Sharif")], ["Karachi"]),
    _c("Kazakhstan", "Kazakh", "Astana", "KZ", "Asia-Pacific",
       [("President", "Kassym-Jomart Tokayev", "Tokayev")], ["Almaty"]),
    _c("Uzbekistan", "Uzbek", "Tashkent", "UZ", "Asia-Pacific",
       [("President", "Shavkat Mirziyoyev", "Mirziyoyev")], ["Samarkand"]),
    _c("Iran", "Iranian", "Tehran", "IR", "Middle East"),
    _c("Saudi Arabia", "Saudi", "Riyadh", "SA", "Middle East", cities=["Jeddah"]),
    _c("United Arab Emirates", "Emirati", "Abu Dhabi", "AE", "Middle East", cities=["Dubai"]),
    _c("Türkiye", "Turkish", "Ankara", "TR", "Europe",
       [("President", "Recep Tayyip Erdoğan", "Erdoğan")], ["Istanbul"]),
    _c("Germany", "German", "Berlin", "DE", "Europe",
       [("Chancellor", "Olaf Scholz", "Scholz")], ["Munich"]),
    _c("France", "French", "Paris", "FR", "Europe",
       [("President", "Emmanuel Macron", "Macron")]),
    _c("Hungary", "Hungarian", "Budapest", "HU", "Europe",
       [("Prime Minister", "Viktor Orbán", "Orbán")]),
    _c("Serbia", "Serbian", "Belgrade", "RS", "Europe",
       [("President", "Aleksandar Vučić", "Vučić")]),
    _c("United States", "U.S.", "Washington", "US", "Americas",
       [("Secretary of State", "Antony Blinken", "Blinken")], ["New York", "San Francisco"]),
    _c("Mexico", "Mexican", "Mexico City", "MX", "Americas"),
    _c("Argentina", "Argentine", "Buenos Aires", "AR", "Americas"),
    _c("Chile", "Chilean", "Santiago", "CL", "Americas",
       [("President", "Gabriel Boric", "Boric")]),
    _c("Peru", "Peruvian", "Lima", "PE", "Americas"),
    _c("Cuba", "Cuban", "Havana", "CU", "Americas"),
    _c("Australia", "Australian", "Canberra", "AU", "Asia-Pacific",
       [("Prime Minister", "Anthony Albanese", "Albanese"),
        ("Foreign Minister", "Penny Wong", "Wong")], ["Sydney"]),
    _c("New Zealand", "New Zealand", "Wellington", "NZ", "Asia-Pacific"),
    _c("Papua New Guinea", "Papua New Guinean", "Port Moresby", "PG", "Asia-Pacific",
       [("Prime Minister", "James Marape", "Marape")]),
    _c("Fiji", "Fijian", "Suva", "FJ", "Asia-Pacific"),
    _c("Japan", "Japanese", "Tokyo", "JP", "Asia-Pacific", cities=["Osaka"]),
    _c("South Korea", "South Korean", "Seoul", "KR", "Asia-Pacific", cities=["Busan"]),
    _c("Mongolia", "Mongolian", "Ulan Bator", "MN", "Asia-Pacific"),
    _c("Zambia", "Zambian", "Lusaka", "ZM", "Africa",
       [("President", "Hakainde Hichilema", "Hichilema")]),
    _c("Tanzania", "Tanzanian", "Dodoma", "TZ", "Africa",
       [("President", "Samia Suluhu Hassan", "Hassan")], ["Dar es Salaam"]),
    _c("Senegal", "Senegalese", "Dakar", "SN", "Africa"),
    _c("Ghana", "Ghanaian", "Accra", "GH", "Africa"),
    _c("Algeria", "Algerian", "Algiers", "DZ", "Africa"),
    _c("Morocco", "Moroccan", "Rabat", "MA", "Africa", cities=["Casablanca"]),
    _c("Angola", "Angolan", "Luanda", "AO", "Africa"),
    _c("Mozambique", "Mozambican", "Maputo", "MZ", "Africa"),
    _c("Zimbabwe", "Zimbabwean", "Harare", "ZW", "Africa",
       [("President", "Emmerson Mnangagwa", "Mnangagwa")]),
    _c("Sri Lanka", "Sri Lankan", "Colombo", "LK", "Asia-Pacific"),
    _c("Nepal", "Nepali", "Kathmandu", "NP", "Asia-Pacific"),
    _c("Bangladesh", "Bangladeshi", "Dhaka", "BD", "Asia-Pacific"),
    _c("Cambodia", "Cambodian", "Phnom Penh", "KH", "Asia-Pacific",
       [("Prime Minister", "Hun Manet", "Hun Manet")], ["Siem Reap"]),
    _c("Laos", "Lao", "Vientiane", "LA", "Asia-Pacific"),
    _c("Philippines", "Philippine", "Manila", "PH", "Asia-Pacific"),
    _c("Singapore", "Singaporean", "Singapore", "SG", "Asia-Pacific"),
    _c("Italy", "Italian", "Rome", "IT", "Europe", cities=["Milan"]),
    _c("Spain", "Spanish", "Madrid", "ES", "Europe"),
    _c("Greece", "Greek", "Athens", "GR", "Europe"),
    _c("Belarus", "Belarusian", "Minsk", "BY", "Europe"),
    _c("Ukraine", "Ukrainian", "Kyiv", "UA", "Europe"),
    _c("Qatar", "Qatari", "Doha", "QA", "Middle East"),
    _c("Colombia", "Colombian", "Bogota", "CO", "Americas"),
)

# The host country of most stories: the corpus imitates a China-based wire.
HOST_WEIGHT = {"CN": 30}

# Generated officials per country; their names come from the region's pools.
OFFICIAL_ROLES = (
    "Vice President", "Foreign Minister", "Deputy Foreign Minister", "Defense Minister",
    "Trade Minister", "Finance Minister", "Speaker of Parliament", "Ambassador to China",
)

FIRST_NAMES = {
    "Africa": ("Amina", "Kwame", "Fatou", "Tendai", "Grace", "Samuel", "Aisha", "Joseph",
               "Nomvula", "Ibrahim", "Wanjiru", "Moses", "Chipo", "Yaw", "Halima", "Peter"),
    "Asia-Pacific": ("Nguyen", "Siti", "Rahul", "Aigerim", "Somchai", "Maria", "Ravi",
                     "Dewi", "Timur", "Sunita", "Hiroshi", "Min-jun", "Bat-Erdene", "Tevita",
                     "Ahmad", "Lakshmi"),
    "Europe": ("Anna", "Dmitry", "Elena", "Marco", "Sofia", "Nikola", "Katarzyna", "Hans",
               "Ioannis", "Olga", "Pierre", "Lucia", "Mehmet", "Zsofia", "Jan", "Irina"),
    "Americas": ("Carlos", "Ana", "Jose", "Mariana", "Luis", "Gabriela", "Diego", "Camila",
                 "John", "Laura", "Pedro", "Valentina", "Ricardo", "Isabel", "Miguel", "Paula"),
    "Middle East": ("Mohammed", "Fatima", "Ali", "Layla", "Hassan", "Noura", "Omar", "Zainab",
                    "Khalid", "Mariam", "Yousef", "Reem", "Tariq", "Salma", "Hamad", "Dalia"),
}
LAST_NAMES = {
    "Africa": ("Mwangi", "Okafor", "Diallo", "Moyo", "Mensah", "Banda", "Kamau", "Ndlovu",
               "Abebe", "Traore", "Otieno", "Phiri", "Adeyemi", "Nkosi", "Sesay", "Kagame"),
    "Asia-Pacific": ("Tran", "Rahman", "Sharma", "Nurlanov", "Srisuk", "Santos", "Gupta",
                     "Wijaya", "Karimov", "Perera", "Tanaka", "Kim", "Batbayar", "Tupou",
                     "Hashimi", "Iyer"),
    "Europe": ("Ivanova", "Petrov", "Rossi", "Kovacs", "Nowak", "Schmidt", "Papadopoulos",
               "Dubois", "Garcia", "Jovanovic", "Novak", "Horvath", "Yilmaz", "Bianchi",
               "Lebedev", "Fischer"),
    "Americas": ("Silva", "Gonzalez", "Rodriguez", "Pereira", "Martinez", "Lopez", "Fernandez",
                 "Smith", "Ramirez", "Torres", "Flores", "Castillo", "Herrera", "Mendoza",
                 "Vargas", "Rojas"),
    "Middle East": ("Al-Mansouri", "Haddad", "Rahimi", "Al-Thani", "Karimi", "Nasser",
                    "Al-Saud", "Farouk", "Mahmoud", "Sadeghi", "Al-Hashimi", "Khalil",
                    "Aziz", "Bakr", "Saleh", "Hosseini"),
}

# Chinese names for experts quoted in the body and for photographers.
CHINESE_GIVEN = ("Ming", "Hua", "Wei", "Jing", "Lei", "Yan", "Tao", "Xin", "Qiang", "Li",
                 "Hong", "Jun", "Fang", "Yun", "Bo", "Ning", "Xueren", "Jingwen", "Haitao",
                 "Huanchi", "Aimin", "Yuewei", "Bogu", "Jianlan")
CHINESE_FAMILY = ("Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
                  "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Xie",
                  "Ding", "Yue", "Rao", "Shen", "Chu", "Yin", "Zhai")

INSTITUTES = (
    "China Institute of International Studies", "Chinese Academy of Social Sciences",
    "Institute of African Studies at Zhejiang Normal University",
    "Shanghai Institutes for International Studies", "School of International Studies at Peking University",
    "Center for Latin American Studies at Fudan University", "Charhar Institute",
    "Institute of Southeast Asian Studies at Jinan University", "Renmin University of China",
    "University of Nairobi", "Institute for Security Studies in Pretoria", "Getulio Vargas Foundation",
    "Valdai Discussion Club", "Centre for Strategic and International Studies in Jakarta",
)
EXPERT_TITLES = ("researcher", "senior research fellow", "professor", "director", "analyst",
                 "associate professor", "dean")


@dataclass(frozen=True)
class Forum:
    name: str  # first mention
    acronym: str | None  # later mentions and the tag; None when the name is the acronym
    host_cities: tuple[tuple[str, str], ...] = ()  # (city, ISO) where its meetings take place

    @property
    def short(self) -> str:
        return self.acronym or self.name

    @property
    def first(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


FORUMS = (
    Forum("Forum on China-Africa Cooperation", "FOCAC", (("Beijing", "CN"), ("Dakar", "SN"))),
    Forum("BRICS", None, (("Kazan", "RU"), ("Johannesburg", "ZA"), ("Rio de Janeiro", "BR"))),
    Forum("Group of 20", "G20", (("Bali", "ID"), ("New Delhi", "IN"), ("Rio de Janeiro", "BR"))),
    Forum("Association of Southeast Asian Nations", "ASEAN", (("Vientiane", "LA"), ("Jakarta", "ID"))),
    Forum("Shanghai Cooperation Organization", "SCO", (("Astana", "KZ"), ("Samarkand", "UZ"))),
    Forum("African Union", "AU", (("Addis Ababa", "ET"),)),
    Forum("United Nations", "UN", (("New York", "US"),)),
    Forum("Asia-Pacific Economic Cooperation", "APEC", (("San Francisco", "US"), ("Lima", "PE"))),
    Forum("European Union", "EU", (("Brussels", ""),)),
    Forum("Pacific Islands Forum", "PIF", (("Suva", "FJ"),)),
    Forum("Economic Community of West African States", "ECOWAS", (("Abuja", "NG"),)),
    Forum("Community of Latin American and Caribbean States", "CELAC", (("Havana", "CU"),)),
    Forum("World Trade Organization", "WTO", ()),
    Forum("Conference on Interaction and Confidence Building Measures in Asia", "CICA", (("Astana", "KZ"),)),
    Forum("Boao Forum for Asia", "BFA", ()),
    Forum("Southern African Development Community", "SADC", (("Harare", "ZW"),)),
)

AGENCIES = (("Xinhua", 70), ("AFP", 6), ("AP", 6), ("Reuters", 6), ("TASS", 4), ("Bernama", 3),
            ("KUNA", 2), ("Prensa Latina", 3))

AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
             "Nov.", "Dec.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MEETING_VERBS = ("met with", "held talks with", "spoke by phone with", "received",
                 "held a video call with", "exchanged views with")
CAPTION_VERBS = ("meets with", "holds talks with", "shakes hands with", "holds a welcome ceremony for",
                 "attends a signing ceremony with")
PURPOSES = (
    "who is on a state visit", "who is in town for an official visit",
    "on the sidelines of the summit", "to discuss bilateral ties and regional issues",
    "ahead of the ministerial meeting", "who is attending the forum",
)
AREAS = ("trade", "investment", "infrastructure", "the digital economy", "green development",
         "new energy", "agriculture", "health", "education", "tourism", "poverty alleviation",
         "connectivity", "science and technology", "culture", "law enforcement", "maritime affairs",
         "finance", "aviation", "youth exchanges", "climate change")
ACTIONS = (
    "deepen their comprehensive strategic partnership",
    "expand practical cooperation in {area} and {area2}",
    "align their development strategies",
    "strengthen communication and coordination on international and regional issues",
    "safeguard the common interests of developing countries",
    "promote the building of an open world economy",
    "carry forward their traditional friendship",
    "enhance people-to-people exchanges",
    "jointly uphold multilateralism and the international order",
    "push for new progress in {area}",
    "implement the consensus reached by the two heads of state",
    "work for peace and stability in the region",
)
STANCES = (
    "attaches great importance to its relations with {other}",
    "is willing to work with {other} to {action}",
    "supports the role of {forum} in global governance",
    "welcomes more investment from {other} in {area}",
    "firmly adheres to the one-China principle",
    "stands ready to strengthen cooperation in {area}",
    "appreciates the support of {other} for its development",
)
OUTCOMES = (
    "The two sides signed a number of cooperation documents covering {area}, {area2} and {area3}.",
    "The two sides also exchanged views on international and regional issues of common concern.",
    "Both sides agreed to make good use of mechanisms such as the joint committee on {area} to push cooperation forward.",
    "After the talks, the two leaders witnessed the signing of agreements on {area} and {area2}.",
    "The meeting was held in a friendly and candid atmosphere, according to a statement released after the talks.",
    "Officials from both countries said a joint statement on {area} would be issued later this week.",
)
BACKGROUNDS = (
    "{a} and {b} established diplomatic relations in {year}.",
    "Trade between {a} and {b} reached {amount} billion U.S. dollars in {prev}, up {pct} percent year on year, according to official figures.",
    "{a} has been {b}'s largest trading partner for {years} consecutive years.",
    "More than {count} companies from {a} are operating in {b}, creating tens of thousands of local jobs.",
    "The railway and port projects built with {a}'s support have cut freight costs in {b} by about {pct} percent, officials said.",
)
FEATURE_OPENINGS = (
    "When the first cargo train pulled out of the new station outside {city}, local traders saw a different future for {b}.",
    "In a small workshop on the edge of {city}, young technicians trained under a program backed by {a} are repairing solar panels.",
    "For farmers near {city}, the arrival of new seed varieties and drip irrigation has changed the rhythm of the seasons.",
    "Ten years after the first agreements were signed, the partnership between {a} and {b} is visible in the skyline of {city}.",
)
COMMENTARY_OPENINGS = (
    "The meeting between the leaders of {a} and {b} this week sends a clear signal about the direction of cooperation among developing countries.",
    "As the {forum} gathers once again, the case for open and inclusive cooperation has rarely been stronger.",
    "Attempts to divide the world into rival blocs run against the wishes of most countries, including {a} and {b}.",
)
FEATURE_BODY = (
    "Local officials say the project has created about {count} jobs and trained hundreds of engineers.",
    "{expert} said the experience of {a} in {area} offered useful lessons for {b}.",
    "The cooperation under the {forum} framework has given new momentum to such projects, analysts say.",
    "Residents say that better roads have cut the journey to the nearest market from a day to a few hours.",
    "Exchanges in {area} and {area2} have also grown, with more students from {b} studying in {a} each year.",
)
