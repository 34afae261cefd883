package demo

// The words the sample is made of. Every company, person and address is fictional.

var familyNames = []string{"Äijälä", "Mäkelä", "Kärkkäinen", "Björklund", "Öhman", "Åberg", "Hämäläinen", "Pöyhönen",
	"Räsänen", "Heikkilä", "Lindroos", "Söderholm", "Kyllönen", "Väisänen", "Järvelä", "Ylitalo", "Nyström", "Hyvärinen",
	"Kettunen", "Laaksonen", "Tähtinen", "Peltola", "Ström", "Rönkkö", "Mäntylä", "Hölttä", "Seppälä", "Grönroos"}

var placeNames = []string{"Pirkanmaa", "Satakunta", "Kainuu", "Häme", "Savo", "Karjala", "Pohjanmaa", "Lappi", "Uusimaa",
	"Kymenlaakso", "Päijät-Häme", "Keski-Suomi"}

var industryWords = []string{"Metalli", "Rakennus", "Kuljetus", "Elektroniikka", "Puutarha", "Konepaja", "Logistiikka",
	"Lämpö", "Sähkö", "Ohjelmisto", "Kiinteistöt", "Pakkaus", "Muovi", "Teräs", "Vesihuolto", "Automaatio", "Hydrauliikka",
	"Elintarvike", "Kalustetehdas", "Painotalo", "Laboratoriot", "Energia", "Tekstiili", "Ilmanvaihto"}

var brandWords = []string{"Nordic", "Polar", "Aurora", "Kide", "Ilmari", "Sampo", "Revontuli", "Kaleva", "Tapio", "Ahti",
	"Lumo", "Hehku", "Virta", "Kallio", "Saimaa", "Pohjola", "Tuike", "Kantele"}

var foreignWords = []string{"Nordström", "Berg", "Lindgren", "Falk", "Krüger", "Weber", "Tamm", "Saar", "Haugen", "Dahl",
	"Jensen", "Hughes", "Brennan", "Vogel", "Sjöberg", "Kask"}

type city struct{ name, postal, area, region string }

var cities = []city{
	{"Helsinki", "00100", "9", "uusimaa"}, {"Espoo", "02100", "9", "uusimaa"}, {"Vantaa", "01300", "9", "uusimaa"},
	{"Tampere", "33100", "3", "pirkanmaa"}, {"Turku", "20100", "2", "varsinais-suomi"}, {"Oulu", "90100", "8", "pohjois-pohjanmaa"},
	{"Jyväskylä", "40100", "14", "keski-suomi"}, {"Kuopio", "70100", "17", "pohjois-savo"}, {"Lahti", "15100", "3", "päijät-häme"},
	{"Vaasa", "65100", "6", "pohjanmaa"}, {"Seinäjoki", "60100", "6", "etelä-pohjanmaa"}, {"Pori", "28100", "2", "satakunta"},
	{"Joensuu", "80100", "13", "pohjois-karjala"}, {"Rovaniemi", "96100", "16", "lappi"}, {"Hämeenlinna", "13100", "3", "kanta-häme"},
	{"Porvoo", "06100", "19", "uusimaa"}, {"Mikkeli", "50100", "15", "etelä-savo"}, {"Kokkola", "67100", "6", "keski-pohjanmaa"},
	{"Lappeenranta", "53100", "5", "etelä-karjala"}, {"Kotka", "48100", "5", "kymenlaakso"}, {"Raahe", "92100", "8", ""},
	{"Äänekoski", "44100", "14", "keski-suomi"}, {"Pietarsaari", "68600", "6", "pohjanmaa"},
}

var streets = []string{"Hatanpään valtatie", "Mannerheimintie", "Hämeenkatu", "Kauppakatu", "Teollisuustie",
	"Satamakatu", "Yliopistonkatu", "Kirkkokatu", "Rautatienkatu", "Tehtaankatu", "Valimotie", "Pajakatu",
	"Konepajankatu", "Sähkötie", "Metsäpolku", "Läntinen Pitkäkatu", "Itäinen Rantakatu", "Höyläämötie"}

type foreignCity struct {
	city, postal, street, phone string
	phoneDigits                 int
}

var foreignCities = map[string]foreignCity{
	"SE": {"Stockholm", "111 52", "Drottninggatan", "+46 8 ", 7},
	"DE": {"Hamburg", "20095", "Mönckebergstraße", "+49 40 ", 8},
	"EE": {"Tallinn", "10111", "Narva mnt", "+372 6", 6},
	"NO": {"Oslo", "0150", "Karl Johans gate", "+47 22 ", 6},
	"DK": {"København", "1050", "Østergade", "+45 33 ", 6},
	"GB": {"London", "EC1A 1BB", "Aldersgate Street", "+44 20 7", 7},
}

var segmentOf = map[string]string{
	"A": "Alkutuotanto", "C": "Teollisuus", "D": "Energia", "E": "Vesi- ja jätehuolto", "F": "Rakentaminen",
	"G": "Kauppa", "H": "Logistiikka", "I": "Majoitus ja ravitsemus", "J": "ICT", "K": "Rahoitus",
	"L": "Kiinteistöt", "M": "Asiantuntijapalvelut", "N": "Palvelut", "P": "Koulutus", "Q": "Terveys",
}

var tagWords = []string{"messut-2026", "kumppani", "vip", "webinaari", "vienti", "sopimus-uusittava", "pilotti"}

var descriptions = []string{
	"Vuosisopimus neuvotteluvaiheessa; hinnat ok, toimitusaika puhuttaa.",
	"Ostaa pääosin keväällä. Päätökset tehdään konsernin hankinnassa.",
	"Kilpailija toimittaa nyt perusvalikoiman; meillä erikoistuotteet.",
	"Tapasimme messuilla. Kiinnostus automaatioratkaisuihin.",
	"Maksaa laskut ajallaan. Haluaa verkkolaskut.",
	"Long-standing partner; prefers quarterly business reviews.",
	"Reklamaatio viime vuonna toimituksesta, hoidettu hyvin.",
	"Uusi hankintajohtaja aloitti syksyllä; suhde rakennettava uudelleen.",
}

var personNotes = []string{
	"Tavoittaa parhaiten aamupäivisin.",
	"Päättää budjetista yhdessä talousjohtajan kanssa.",
	"Prefers e-mail; replies within a day.",
	"Kiinnostunut uusista tuotteista, kutsu messuille.",
	"Vaihtoi yritystä keväällä; tuntee meidät entuudestaan.",
}

type title struct{ fi, en, dept, role, influence string }

var titles = []title{
	{"Toimitusjohtaja", "CEO", "Johto", "decision_maker", "high"},
	{"Hankintajohtaja", "Head of Procurement", "Hankinta", "decision_maker", "high"},
	{"Talousjohtaja", "CFO", "Talous", "gatekeeper", "high"},
	{"Tuotantopäällikkö", "Production Manager", "Tuotanto", "user", "medium"},
	{"Ostaja", "Buyer", "Hankinta", "influencer", "medium"},
	{"Ostaja", "Buyer", "Hankinta", "user", "low"},
	{"IT-päällikkö", "IT Manager", "IT", "influencer", "medium"},
	{"Logistiikkapäällikkö", "Logistics Manager", "Logistiikka", "user", "medium"},
	{"Laatupäällikkö", "Quality Manager", "Laatu", "blocker", "medium"},
	{"Projektipäällikkö", "Project Manager", "Projektit", "champion", "medium"},
	{"Kehitysinsinööri", "Development Engineer", "Tuotekehitys", "champion", "low"},
	{"Assistentti", "Assistant", "Johto", "gatekeeper", "low"},
	{"Kunnossapitopäällikkö", "Maintenance Manager", "Kunnossapito", "user", "medium"},
}

var finnishFirst = []string{"Päivi", "Jussi", "Mikko", "Sanna", "Tiina", "Jyrki", "Ville", "Aino", "Eeva", "Hannu",
	"Kaisa", "Lauri", "Mervi", "Niina", "Outi", "Pekka", "Riikka", "Seppo", "Tuomas", "Ulla", "Väinö", "Yrjö", "Jenni",
	"Antti", "Kati", "Timo", "Minna", "Juha", "Satu", "Marko", "Heli", "Teemu", "Säde", "Jörn", "Kyösti", "Elina", "Ilkka",
	"Tarja", "Sami", "Anne", "Matti", "Leena", "Petri", "Hilkka", "Tapani", "Riitta", "Jaana", "Olavi", "Eino", "Mirja"}

var finnishLast = []string{"Hämäläinen", "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Heikkinen",
	"Koskinen", "Järvinen", "Lehtonen", "Kärkkäinen", "Pöllänen", "Räsänen", "Ylönen", "Laine", "Heinonen", "Salminen",
	"Lehtinen", "Saarinen", "Niemi", "Kinnunen", "Salonen", "Turunen", "Lindholm", "Jokinen", "Mäkiö", "Hyvönen",
	"Tuominen", "Rantanen", "Karjalainen", "Pitkänen", "Väätäinen", "Ahonen", "Lähteenmäki", "Kääriäinen", "Östman"}

var swedishFirst = []string{"Åsa", "Anders", "Björn", "Ingrid", "Lars", "Maja", "Sven", "Karin", "Johan", "Linnéa", "Göran", "Elin"}

var swedishLast = []string{"Lindqvist", "Söderberg", "Åström", "Johansson", "Karlsson", "Nyberg", "Holmström", "Sjögren"}

var finlandSwedishLast = []string{"Lindqvist", "Söderberg", "Åström", "Öhman", "Grönqvist", "Wikström", "Sundberg", "Forsman"}

var germanFirst = []string{"Jürgen", "Anja", "Klaus", "Petra", "Matthias", "Sabine", "Stefan", "Jörg"}

var germanLast = []string{"Müller", "Schröder", "Weiß", "Krüger", "Hoffmann", "Schäfer", "Bäcker", "Große"}

var estonianFirst = []string{"Kadri", "Tõnu", "Mart", "Liis", "Jüri", "Triin", "Andres", "Ülle"}

var estonianLast = []string{"Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Pärn"}

var englishFirst = []string{"James", "Olivia", "Henrik", "Sofie", "Mads", "Ingrid", "Oliver", "Emma", "Nils", "Hannah"}

var englishLast = []string{"Hughes", "Brennan", "Haugen", "Dahl", "Jensen", "Nielsen", "Berg", "Walker", "Hansen", "Clarke"}
