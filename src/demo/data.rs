//! The demo cluster's word lists: company names, people, places, topics.

use crate::model::{Lang, NewsStatus, Sector, Status};

pub(super) use Sector::{
    ElectricalEquipment as El, Ict, Machinery as Mach, Other, Public, Research as Res,
};
pub(super) use Status::{Active as A, Former as F, Prospect as P, Suspended as S};

/// Name, web domain, sector, city, country, status.
#[rustfmt::skip]
pub(super) const MEMBERS: &[(&str, &str, Sector, &str, &str, Status)] = &[
    ("UAB „Šviesos tinklai“", "sviesostinklai.lt", El, "Vilnius", "LT", A),
    ("AB „Kauno elektros įranga“", "kei.lt", El, "Kaunas", "LT", A),
    ("UAB Žaibo linija ⚡", "zaibolinija.lt", El, "Šiauliai", "LT", A),
    ("UAB „Išmanūs namai“", "ismanusnamai.lt", Ict, "Vilnius", "LT", A),
    ("UAB „Energijos skaitikliai“", "eskaitikliai.lt", El, "Panevėžys", "LT", A),
    ("Kauno technologijos universitetas", "ktu.edu", Res, "Kaunas", "LT", A),
    ("Vilniaus Gedimino technikos universitetas", "vilniustech.lt", Res, "Vilnius", "LT", A),
    ("Lietuvos energetikos institutas", "lei.lt", Res, "Kaunas", "LT", A),
    ("UAB „Baltijos mechatronika“", "balmech.lt", Mach, "Klaipėda", "LT", A),
    ("UAB „Saulės jėgainių servisas“", "sjservisas.lt", Other, "Utena", "LT", A),
    ("Alytaus miesto savivaldybės administracija", "alytus.lt", Public, "Alytus", "LT", A),
    ("VšĮ „Klaipėdos mokslo ir technologijų parkas“", "kmtp.lt", Public, "Klaipėda", "LT", A),
    ("UAB „Elektros pavarų sistemos“", "epsistemos.lt", Mach, "Kaunas", "LT", A),
    ("UAB „Duomenų srautai“", "dsrautai.lt", Ict, "Vilnius", "LT", S),
    ("UAB „Marijampolės kabeliai“", "mkabeliai.lt", El, "Marijampolė", "LT", A),
    ("UAB „Utenos gręžiniai ir šilumos siurbliai“", "ugss.lt", Mach, "Utena", "LT", A),
    ("AB „Žalioji galia“", "zaliojigalia.lt", Other, "Vilnius", "LT", A),
    ("UAB „Vėjo turbinų technika“", "vtt.lt", Mach, "Klaipėda", "LT", F),
    ("UAB „Elektromobilių krovimo tinklas“", "ekt.lt", Other, "Vilnius", "LT", A),
    ("UAB „Pastatų valdymo sprendimai“", "pvs.lt", Ict, "Kaunas", "LT", A),
    ("SIA „Rīgas viedie tīkli“", "viedietikli.lv", Ict, "Rīga", "LV", A),
    ("Inteligentne Sieci Sp. z o.o.", "inteligentnesieci.pl", El, "Gdańsk", "PL", A),
    ("Targad Majad OÜ", "targadmajad.ee", Ict, "Tartu", "EE", P),
    ("UAB „Šiaulių transformatorių gamykla“", "stg.lt", El, "Šiauliai", "LT", A),
    ("UAB „Panevėžio metalo konstrukcijos“", "pmk.lt", Mach, "Panevėžys", "LT", F),
    ("UAB „Debesų kompiuterija“", "debesys.lt", Ict, "Vilnius", "LT", P),
    ("VšĮ „Išmanusis Vilnius“", "ismanusisvilnius.lt", Public, "Vilnius", "LT", A),
    ("UAB „Ąžuolo šiluma“", "azuolosiluma.lt", Other, "Alytus", "LT", S),
    ("UAB „Įtampos sprendimai“", "itampa.lt", El, "Kaunas", "LT", P),
    ("UAB „Ūkio automatika“", "ukioautomatika.lt", Mach, "Marijampolė", "LT", F),
    (
        "UAB „Baltijos išmaniųjų elektros tinklų, pastatų automatikos, elektromobilių įkrovimo \
         infrastruktūros ir atsinaujinančios energetikos sprendimų inžinerijos bei diegimo centras“",
        "bietc.lt", El, "Vilnius", "LT", A,
    ),
    ("UAB „Signalų apdorojimo laboratorija“", "sal.lt", Res, "Vilnius", "LT", A),
    ("UAB „Čiurlionio robotika“", "robotika.lt", Mach, "Kaunas", "LT", A),
    ("UAB „Nuotolinė priežiūra“", "npriziura.lt", Ict, "Klaipėda", "LT", S),
    ("SIA „Latvijas Enerģijas Risinājumi“", "ler.lv", Other, "Rīga", "LV", F),
    ("Nutikas Energia OÜ", "nutikasenergia.ee", El, "Tallinn", "EE", A),
    ("Šiaulių valstybinė kolegija", "svako.lt", Res, "Šiauliai", "LT", A),
    ("UAB „Energetikos auditas“", "eauditas.lt", Other, "Panevėžys", "LT", P),
    ("Utenos regiono plėtros agentūra", "urpa.lt", Public, "Utena", "LT", P),
];

#[rustfmt::skip]
pub(super) const AREAS: &[&str] = &["smart-city", "smart-grid", "smart-house", "e-mobility", "iot", "energy-efficiency"];
/// First and last names of Lithuanian men and women (surnames differ by gender).
#[rustfmt::skip]
pub(super) const MALE: (&[&str], &[&str]) = (
    &["Jonas", "Mindaugas", "Tomas", "Darius", "Gediminas", "Žydrūnas", "Vytautas", "Šarūnas"],
    &["Kazlauskas", "Petrauskas", "Jankauskas", "Žukauskas", "Butkus", "Paulauskas", "Urbonas"],
);
#[rustfmt::skip]
pub(super) const FEMALE: (&[&str], &[&str]) = (
    &["Rūta", "Eglė", "Aušra", "Jūratė", "Ieva", "Gintarė", "Živilė", "Agnė"],
    &["Kazlauskienė", "Petrauskaitė", "Jankauskienė", "Žukauskaitė", "Butkienė", "Urbonaitė"],
);
/// Roles as a man and as a woman hold them.
#[rustfmt::skip]
pub(super) const ROLES: &[(&str, &str)] = &[
    ("Direktorius", "Direktorė"), ("Technikos direktorius", "Technikos direktorė"),
    ("Projektų vadovas", "Projektų vadovė"), ("Pardavimų vadovas", "Pardavimų vadovė"),
    ("Vyriausiasis inžinierius", "Vyriausioji inžinierė"),
];
/// Country, first name, last name of contacts abroad.
#[rustfmt::skip]
pub(super) const FOREIGN: &[(&str, &str, &str)] = &[
    ("LV", "Jānis", "Bērziņš"), ("LV", "Līga", "Ozola"), ("PL", "Anna", "Kowalska"),
    ("PL", "Łukasz", "Wiśniewski"), ("EE", "Kadri", "Tamm"), ("EE", "Mart", "Saar"),
];
pub(super) const FOREIGN_ROLES: &[&str] = &[
    "CEO",
    "CTO",
    "Head of Business Development",
    "Project Manager",
];
pub(super) const NOTES: &[&str] = &[
    "⚡ Labai aktyvus narys: beveik visada dalyvauja patirties dalijimosi renginiuose.",
    "Domisi bendrais ES projektais; pageidauja partnerių iš *Skandinavijos*.",
    "Gali priimti renginius savo patalpose (iki 40 žmonių).",
    "Mokestis už narystę sumokamas pavėluotai; priminti **kovo** mėnesį.",
    "Ieško darbuotojų su elektros inžinerijos išsilavinimu; bendradarbiauja su kolegijomis.",
];
pub(super) const COORDINATORS: &[&str] = &[
    "Rūta Petrauskienė",
    "Mindaugas Jankauskas",
    "Eglė Žukauskaitė",
];
#[rustfmt::skip]
pub(super) const TOPICS: &[&str] = &[
    "išmaniųjų skaitiklių diegimas daugiabučiuose", "kibernetinis saugumas energetikos įmonėse",
    "elektromobilių įkrovimo stotelių tinklo plėtra", "pastatų energinio naudingumo didinimas",
    "saulės elektrinių integracija į skirstomąjį tinklą", "daiktų interneto jutikliai mieste",
    "eksporto į Skandinaviją patirtis", "bendros Horizon Europe paraiškos",
    "energijos kaupimas ir lankstumo paslaugos", "išmanusis gatvių apšvietimas savivaldybėse",
    "skaitmeniniai dvyniai pramonėje", "kompetencijų ugdymas su universitetais",
];
#[rustfmt::skip]
pub(super) const LOCATIONS: &[&str] = &[
    "Vilnius, Saulėtekio al. 15", "Kaunas, K. Donelaičio g. 73", "Klaipėda, Minijos g. 180",
    "Šiauliai, Vilniaus g. 141", "Panevėžys, Respublikos g. 20", "Nuotoliu (Microsoft Teams)",
];
pub(super) const STARTS: &[&str] = &["09:00", "10:00", "13:00", "14:30"];
#[rustfmt::skip]
pub(super) const DECISIONS: &[&str] = &[
    "Parengti bendrą paraišką ES finansavimui gauti", "Kitą renginį organizuoti Kaune",
    "Sudaryti darbo grupę išmaniųjų tinklų standartams aptarti",
    "Patvirtinti klasterio metinį veiklos planą", "Pristatymus paskelbti klasterio portale",
    "Kreiptis į Energetikos ministeriją dėl bandomųjų projektų",
    "Atnaujinti narių kompetencijų katalogą",
];
#[rustfmt::skip]
pub(super) const ACTIONS: &[&str] = &[
    "Išsiųsti pristatymus dalyviams", "Parengti paraiškos projektą",
    "Surinkti narių rodiklius už praėjusius metus", "Suderinti kito renginio datą ir vietą",
    "Paskelbti naujieną portale", "Parengti bendrą pasiūlymą savivaldybei",
];

pub(super) use NewsStatus::{
    Draft as ND, Published as NP, Review as NR, Scheduled as NS, Withdrawn as NW,
};
/// Language, status, title, summary, tags.
#[rustfmt::skip]
pub(super) const NEWS: &[(Lang, NewsStatus, &str, &str, &[&str])] = &[
    (Lang::Lt, NP, "Šiauliuose atidaryta išmaniųjų tinklų laboratorija", "Nauja laboratorija leis nariams bandyti skirstomojo tinklo valdymo sprendimus.", &["smart-grid", "research"]),
    (Lang::En, NP, "Cluster members sign a smart street lighting deal with Alytus", "Three members will replace 4,000 street lights with connected LED luminaires.", &["smart-city", "iot"]),
    (Lang::Lt, NP, "Žalioji energija: nariai įrengė 12 MW saulės elektrinių", "Per metus klasterio nariai suprojektavo ir įrengė 12 MW saulės elektrinių.", &["energy-efficiency", "solar"]),
    (Lang::En, NW, "Smart house pilot in Kaunas cuts heating bills by 23%", "A pilot in 40 flats shows what building automation can save.", &["smart-house"]),
    (Lang::Lt, NS, "Įkrovimo stotelių tinklas plečiasi į Uteną ir Marijampolę", "Dar 30 greito įkrovimo stotelių atsiras regionuose.", &["e-mobility"]),
    (Lang::En, NP, "Joint Horizon Europe proposal submitted by five members", "Five members and two universities applied together for the first time.", &["eu-funding", "research"]),
    (Lang::Lt, ND, "Patirties dalijimasis: kibernetinis saugumas energetikoje", "Ką turi žinoti kiekviena energetikos įmonė apie NIS2 direktyvą.", &["cybersecurity", "smart-grid"]),
    (Lang::En, NR, "Baltic smart grid forum in Riga: what we learned", "Notes from two days of talks with Latvian and Estonian grid operators.", &["smart-grid", "baltics"]),
    (Lang::Lt, NP, "Išmanieji skaitikliai Žirmūnuose: pirmieji rezultatai", "Pusė metų duomenų iš 1 200 butų rodo, kur prarandama energija.", &["smart-house", "iot"]),
    (Lang::En, NS, "New member from Tallinn joins the cluster", "An Estonian maker of grid sensors becomes our third member abroad.", &["members", "baltics"]),
    (Lang::Lt, NR, "Klasterio narių eksportas 2024 m. augo 14 %", "Apžvelgiame narių rodiklius: apyvartą, eksportą ir investicijas į MTEP.", &["indicators", "export"]),
    (Lang::En, ND, "Workshop recap: digital twins for utilities", "What members learned from building digital twins of substations.", &["smart-grid", "digital-twins"]),
    (Lang::Lt, NW, "Įmonių ir universitetų bendradarbiavimas: ką rodo tyrimas", "Tyrimas parodė, kad bendri projektai sutrumpina produktų kūrimą.", &["research"]),
    (Lang::En, NP, "Cluster statement on the national energy strategy", "The cluster asks for clear rules for flexibility services and storage.", &["policy", "energy-efficiency"]),
];
