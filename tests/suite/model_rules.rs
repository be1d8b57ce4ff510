//! Every validation rule of the model, accepted and rejected, each rejection
//! checked to name its field.

use clusterdesk::model::record::validate;
use clusterdesk::model::{
    Context, FieldError, FieldErrors, FieldKind, Indicator, Lang, Meeting, MeetingKind, Member,
    NewsItem, Record, Sector, Status,
};
use jiff::civil::{Date, date};
use uuid::Uuid;

fn ctx() -> Context {
    Context {
        today: date(2024, 6, 1),
    }
}

fn id() -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001)
}

/// A member with every required field set.
fn member() -> Member {
    crate::fixtures::records::member_with_id(id(), "LT1", "UAB Šviesa")
}

fn news() -> NewsItem {
    let mut n = NewsItem::empty(id());
    n.set_text("title", "Klasterio naujienos").unwrap();
    n.set_text("lang", "lt").unwrap();
    n
}

fn meeting() -> Meeting {
    let mut m = Meeting::empty(id());
    m.set_text("title", "Patirties sklaida").unwrap();
    m.set_text("date", "2024-03-05").unwrap();
    m.set_text("kind", "experience-sharing").unwrap();
    m
}

fn indicator() -> Indicator {
    let mut i = Indicator::empty(id());
    i.set_text("member", "LT1").unwrap();
    i.set_text("year", "2023").unwrap();
    i
}

/// Sets `field` on `record` and expects it refused, naming `field`.
#[track_caller]
fn rejected<R: Record>(mut record: R, field: &str, value: &str) -> FieldError {
    match record.set_text(field, value) {
        Ok(()) => panic!(
            "{}.{field} = {value:?} was accepted as {:?}",
            R::COLLECTION,
            record.get(field)
        ),
        Err(e) => {
            assert_eq!(e.field, field, "{}.{field} = {value:?}: {e}", R::COLLECTION);
            e
        }
    }
}

/// Sets `field` on `record`, expects it accepted, returns the stored text.
#[track_caller]
fn accepted<R: Record>(mut record: R, field: &str, value: &str) -> String {
    if let Err(e) = record.set_text(field, value) {
        panic!("{}.{field} = {value:?} was refused: {e}", R::COLLECTION);
    }
    record
        .get(field)
        .map(|v| v.to_text())
        .unwrap_or_else(|| panic!("{field} has no value"))
}

fn fields_of(errors: &FieldErrors) -> Vec<&str> {
    let mut f: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    f.sort_unstable();
    f
}

// ---------------------------------------------------------------- required

#[test]
fn required_fields_are_named_when_missing() {
    let e = validate(&Member::empty(id()), &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["code", "name", "sector"], "{e}");
    assert!(e.0.iter().all(|e| e.reason == "is required"), "{e}");

    let e = validate(&NewsItem::empty(id()), &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["lang", "title"], "{e}");

    let e = validate(&Meeting::empty(id()), &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["date", "kind", "title"], "{e}");

    let e = validate(&Indicator::empty(id()), &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["member", "year"], "{e}");
}

#[test]
fn records_with_required_fields_are_accepted() {
    validate(&member(), &ctx()).unwrap();
    validate(&news(), &ctx()).unwrap();
    validate(&meeting(), &ctx()).unwrap();
    validate(&indicator(), &ctx()).unwrap();
}

#[test]
fn each_required_field_alone_is_missed() {
    fn missing<R: Record>(mut record: R, field: &str) {
        // Blank text clears the field (or is refused at once for the key).
        match record.set_text(field, "   ") {
            Ok(()) => {
                let e = validate(&record, &ctx()).unwrap_err();
                assert_eq!(fields_of(&e), [field], "{e}");
                assert_eq!(e.0[0].reason, "is required");
            }
            Err(e) => assert_eq!(
                (e.field.as_str(), e.reason.as_str()),
                (field, "is required")
            ),
        }
    }
    for f in ["code", "name", "sector"] {
        missing(member(), f);
    }
    for f in ["title", "lang"] {
        missing(news(), f);
    }
    for f in ["title", "date", "kind"] {
        missing(meeting(), f);
    }
    for f in ["member", "year"] {
        missing(indicator(), f);
    }
}

#[test]
fn unknown_field_is_named_with_the_known_ones() {
    let e = rejected(member(), "nmae", "x");
    assert!(e.reason.contains("name, sector"), "{e}");
}

// ---------------------------------------------------------------- codes

#[test]
fn member_code_is_upper_case_a_z_0_9_dash_up_to_32() {
    assert_eq!(accepted(member(), "code", "lt-1"), "LT-1");
    assert_eq!(accepted(member(), "code", "  itk-007 "), "ITK-007");
    let max = "A".repeat(32);
    assert_eq!(accepted(member(), "code", &max), max);
    rejected(member(), "code", &"A".repeat(33));
    rejected(member(), "code", "LT_1");
    rejected(member(), "code", "LT 1");
    rejected(member(), "code", "ŠL1");
    assert_eq!(Member::normalize_key(" lt-1 "), "LT-1");

    // The indicator's member reference follows the same rule.
    assert_eq!(accepted(indicator(), "member", "lt-1"), "LT-1");
    rejected(indicator(), "member", "LT_1");
}

#[test]
fn indicator_year_and_amounts() {
    assert_eq!(accepted(indicator(), "year", "2014"), "2014");
    rejected(indicator(), "year", "1989");
    rejected(indicator(), "year", "20x4");
    let e = validate(
        &{
            let mut i = indicator();
            i.year = 2026;
            i
        },
        &ctx(),
    )
    .unwrap_err();
    assert_eq!(fields_of(&e), ["year"], "{e}");
    assert_eq!(
        accepted(indicator(), "turnover_eur", "1 250 000"),
        "1250000"
    );
    rejected(indicator(), "turnover_eur", "-5");
    rejected(indicator(), "employees", "1.5");
}

// ---------------------------------------------------------------- choices

#[test]
fn choices_are_case_insensitive_in_and_canonical_out() {
    assert_eq!(accepted(member(), "sector", "ICT"), "ict");
    assert_eq!(
        accepted(member(), "sector", "Electrical-Equipment"),
        "electrical-equipment"
    );
    assert_eq!(accepted(member(), "status", "ACTIVE"), "active");
    assert_eq!(accepted(news(), "lang", "EN"), "en");
    assert_eq!(accepted(news(), "status", "Review"), "review");
    assert_eq!(
        accepted(meeting(), "kind", "General-Assembly"),
        "general-assembly"
    );

    let mut m = member();
    m.set_text("sector", "Machinery").unwrap();
    assert_eq!(m.sector, Some(Sector::Machinery));
    let mut n = news();
    n.set_text("lang", "LT").unwrap();
    assert_eq!(n.lang, Some(Lang::Lt));
    let mut mt = meeting();
    mt.set_text("kind", "WORKSHOP").unwrap();
    assert_eq!(mt.kind, Some(MeetingKind::Workshop));
}

#[test]
fn unknown_choice_lists_the_choices() {
    let cases: [(FieldError, &[&str]); 5] = [
        (rejected(member(), "sector", "food"), Sector::NAMES),
        (rejected(member(), "status", "sleeping"), Status::NAMES),
        (rejected(news(), "lang", "de"), Lang::NAMES),
        (
            rejected(news(), "status", "archived"),
            clusterdesk::model::NewsStatus::NAMES,
        ),
        (rejected(meeting(), "kind", "party"), MeetingKind::NAMES),
    ];
    for (e, names) in cases {
        for name in names {
            assert!(e.reason.contains(name), "{e} does not list {name}");
        }
    }
}

// ---------------------------------------------------------------- dates

#[test]
fn dates_are_yyyy_mm_dd_and_real() {
    for bad in [
        "2014-13-01",
        "2023-02-29",
        "2014-1-1",
        "2014/01/01",
        "01-01-2014",
        "2014-01-32",
        "x",
    ] {
        let e = rejected(member(), "joined", bad);
        assert!(e.reason.contains("YYYY-MM-DD"), "{e}");
        rejected(news(), "publish_at", bad);
        rejected(meeting(), "date", bad);
    }
    assert_eq!(accepted(member(), "joined", "2024-02-29"), "2024-02-29");
    assert_eq!(accepted(member(), "left", " 2014-01-01 "), "2014-01-01");
    assert_eq!(accepted(meeting(), "date", "2024-02-29"), "2024-02-29");
    assert_eq!(accepted(news(), "created", "2000-02-29"), "2000-02-29");
    rejected(news(), "created", "1900-02-29");
}

#[test]
fn left_before_joined_is_rejected() {
    let mut m = member();
    m.set_text("joined", "2015-01-15").unwrap();
    m.set_text("left", "2014-12-31").unwrap();
    let e = validate(&m, &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["left"], "{e}");

    m.set_text("left", "2015-01-15").unwrap();
    let ok = validate(&m, &ctx()).unwrap();
    assert_eq!(ok.left, Some(date(2015, 1, 15)));
}

#[test]
fn meeting_start_is_hh_mm() {
    assert_eq!(accepted(meeting(), "start", "09:30"), "09:30");
    for bad in ["9:30", "24:00", "09:60", "0930"] {
        rejected(meeting(), "start", bad);
    }
}

// ---------------------------------------------------------------- country, email, website

#[test]
fn country_is_iso_alpha_2() {
    assert_eq!(accepted(member(), "country", "LT"), "LT");
    assert_eq!(accepted(member(), "country", "lt"), "LT");
    assert_eq!(accepted(member(), "country", "pl"), "PL");
    assert_eq!(accepted(member(), "country", ""), "LT", "empty means LT");
    assert_eq!(Member::empty(id()).country, "LT");
    rejected(member(), "country", "Lithuania");
    rejected(member(), "country", "XX");
    rejected(member(), "country", "LTU");
}

#[test]
fn emails_have_one_at_and_no_spaces() {
    for field in ["email", "contact_email"] {
        assert_eq!(
            accepted(member(), field, "info@example.lt"),
            "info@example.lt"
        );
        for bad in [
            "info.example.com",
            "a@b@c",
            "a b@c.lt",
            "@example.lt",
            "info@",
        ] {
            rejected(member(), field, bad);
        }
    }
    assert_eq!(accepted(member(), "email", ""), "");
}

#[test]
fn websites_are_http_or_https() {
    assert_eq!(
        accepted(member(), "website", "https://itk.lt/nariai"),
        "https://itk.lt/nariai"
    );
    assert_eq!(
        accepted(member(), "website", "http://example.lt"),
        "http://example.lt"
    );
    for bad in [
        "ftp://x",
        "www.x.lt",
        "https://",
        "https:// x.lt",
        "javascript:alert(1)",
    ] {
        rejected(member(), "website", bad);
    }
}

#[test]
fn phones_are_dialable() {
    assert_eq!(
        accepted(member(), "phone", "+370 (41) 123-456"),
        "+370 (41) 123-456"
    );
    rejected(member(), "phone", "call me");
    rejected(member(), "contact_phone", "+370 41 12345x");
    rejected(member(), "phone", "x123");
    // Extensions, as accounting exports write them.
    accepted(member(), "phone", "(375)368-5935x94245");
    accepted(member(), "phone", "+370 5 123 4567 ext. 12");
}

// ---------------------------------------------------------------- tags, lists

#[test]
fn tags_fold_to_lower_kebab_and_dedupe() {
    let mut m = member();
    m.set_text("areas", "Smart City, smart-city; Smart Grid;SMART  HOUSE")
        .unwrap();
    assert_eq!(m.areas, ["smart-city", "smart-grid", "smart-house"]);

    let mut n = news();
    n.set_text("tags", "Išmanusis miestas;Smart City,smart city")
        .unwrap();
    assert_eq!(n.tags, ["ismanusis-miestas", "smart-city"]);

    rejected(member(), "areas", "ok, ---");
}

#[test]
fn list_fields_accept_comma_and_semicolon() {
    for text in ["a,b", "a;b", " a ; b ,", "a,,b"] {
        let mut m = member();
        m.set_text("areas", text).unwrap();
        assert_eq!(m.areas, ["a", "b"], "{text:?}");
    }
    for text in ["lt1,lt-2", "LT1;lt-2", "LT1; LT-2; lt1"] {
        let mut mt = meeting();
        mt.set_text("attendees", text).unwrap();
        assert_eq!(mt.attendees, ["LT1", "LT-2"], "{text:?}");
        let mut n = news();
        n.set_text("members", text).unwrap();
        assert_eq!(n.members, ["LT1", "LT-2"], "{text:?}");
    }
    rejected(meeting(), "attendees", "LT1,LT_2");
    // Decisions are free text: commas stay inside an item.
    let mut mt = meeting();
    mt.set_text("decisions", "Buy chairs, tables; Meet again\nWrite report")
        .unwrap();
    assert_eq!(
        mt.decisions,
        ["Buy chairs, tables", "Meet again", "Write report"]
    );
}

// ---------------------------------------------------------------- unsafe characters

/// A valid value for each field of each record, used to smuggle characters in.
fn samples(collection: &str) -> &'static [(&'static str, &'static str)] {
    match collection {
        "members" => &[
            ("code", "LT1"),
            ("name", "UAB Šviesa"),
            ("sector", "ict"),
            ("areas", "smart-city"),
            ("status", "active"),
            ("joined", "2014-01-01"),
            ("left", "2015-01-01"),
            ("city", "Šiauliai"),
            ("country", "LT"),
            ("website", "https://itk.lt"),
            ("email", "info@itk.lt"),
            ("phone", "+370 41 123456"),
            ("contact_name", "Jonas Jonaitis"),
            ("contact_role", "direktorius"),
            ("contact_email", "jonas@itk.lt"),
            ("contact_phone", "+370 600 00000"),
            ("notes", "Pastabos"),
        ],
        "news" => &[
            ("slug", "naujiena"),
            ("title", "Naujiena"),
            ("lang", "lt"),
            ("status", "draft"),
            ("author", "Ona"),
            ("tags", "smart-city"),
            ("members", "LT1"),
            ("summary", "Trumpai"),
            ("body", "Tekstas"),
            ("created", "2024-01-01"),
            ("updated", "2024-01-01"),
            ("publish_at", "2024-01-01"),
            ("published_at", "2024-01-01"),
        ],
        "meetings" => &[
            ("slug", "susitikimas"),
            ("title", "Susitikimas"),
            ("date", "2024-01-01"),
            ("start", "09:30"),
            ("location", "Šiauliai"),
            ("kind", "board"),
            ("attendees", "LT1"),
            ("notes", "Pastabos"),
            ("decisions", "Nutarta"),
        ],
        "indicators" => &[
            ("member", "LT1"),
            ("year", "2023"),
            ("turnover_eur", "1000"),
            ("export_eur", "1000"),
            ("rnd_eur", "1000"),
            ("employees", "10"),
        ],
        _ => unreachable!(),
    }
}

/// `value` with `c` after its first character.
fn smuggle(value: &str, c: char) -> String {
    let mut chars = value.chars();
    let first = chars.next().unwrap();
    format!("{first}{c}{}", chars.as_str())
}

/// Every field of `R` (all of them must be in `samples`) refuses `c`; the
/// multi-line ones keep it when `keep_multi` says so.
fn check_every_field<R: Record>(make: fn() -> R, c: char, multi_line_keeps: bool) {
    let samples = samples(R::COLLECTION.as_str());
    let names: Vec<&str> = samples.iter().map(|(f, _)| *f).collect();
    let all: Vec<&str> = R::fields().iter().map(|f| f.name).collect();
    assert_eq!(names, all, "samples of {} are out of date", R::COLLECTION);
    for spec in R::fields() {
        let (field, sample) = samples
            .iter()
            .find(|(f, _)| *f == spec.name)
            .copied()
            .unwrap();
        accepted(make(), field, sample);
        let value = smuggle(sample, c);
        if multi_line_keeps && matches!(spec.kind, FieldKind::MultiLine) {
            let stored = accepted(make(), field, &value);
            assert_eq!(stored, value, "{}.{field} changed {value:?}", R::COLLECTION);
        } else if multi_line_keeps && matches!(spec.kind, FieldKind::TextList) {
            // \n and \t are item separators or kept inside an item.
            accepted(make(), field, &value);
        } else {
            let e = rejected(make(), field, &value);
            assert!(
                e.reason.contains("U+") || !e.reason.contains(c),
                "{e:?} quotes {c:?} raw"
            );
        }
    }
}

fn check_all_records(c: char, multi_line_keeps: bool) {
    check_every_field(member, c, multi_line_keeps);
    check_every_field(news, c, multi_line_keeps);
    check_every_field(meeting, c, multi_line_keeps);
    check_every_field(indicator, c, multi_line_keeps);
}

#[test]
fn control_characters_are_rejected_in_every_field() {
    for c in [
        '\u{1b}', '\u{7}', '\u{0}', '\r', '\u{7f}', '\u{85}', '\u{9b}',
    ] {
        check_all_records(c, false);
    }
}

#[test]
fn bidi_controls_are_rejected_in_every_field_including_notes() {
    for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
        check_all_records(c, false);
    }
    let e = rejected(member(), "notes", "ok\n\u{202E}evil");
    assert!(e.reason.contains("U+202E"), "{e}");
    rejected(news(), "body", "ok\u{2066}");
}

#[test]
fn invisible_and_disputed_width_characters_are_rejected_in_every_field() {
    for c in [
        // bidi marks (Arabic letter mark, LRM, RLM)
        '\u{61C}',
        '\u{200E}',
        '\u{200F}',
        // other format characters (Cf): soft hyphen, zero-width space,
        // word joiner, invisible times, BOM, interlinear annotation, tags
        '\u{AD}',
        '\u{200B}',
        '\u{2060}',
        '\u{2062}',
        '\u{FEFF}',
        '\u{FFF9}',
        '\u{FFFA}',
        '\u{FFFB}',
        '\u{E0001}',
        '\u{E0041}',
        '\u{110BD}',
        // Hangul fillers, noncharacters, line and paragraph separators
        '\u{115F}',
        '\u{1160}',
        '\u{3164}',
        '\u{FFA0}',
        '\u{FDD0}',
        '\u{FDEF}',
        '\u{FFFE}',
        '\u{FFFF}',
        '\u{1FFFE}',
        '\u{10FFFF}',
        '\u{2028}',
        '\u{2029}',
    ] {
        check_all_records(c, false);
    }
    let e = rejected(member(), "notes", "ok\n\u{200F}evil");
    assert!(e.reason.contains("bidi control character (U+200F)"), "{e}");
    let e = rejected(member(), "name", "UAB\u{FFF9}Šviesa");
    assert!(e.reason.contains("(U+FFF9) at character 4"), "{e}");
}

#[test]
fn emoji_joiners_variation_selectors_and_accents_stay() {
    for text in [
        "Komanda 👩\u{200D}💻 ❤\u{FE0F} 1\u{FE0F}\u{20E3} 🇱🇹 👍🏽",
        "👨\u{200D}👩\u{200D}👧\u{200D}👦",
        // Lithuanian accented letters: a with ogonek and tilde, i with
        // ogonek, dot above and tilde.
        "a\u{328}\u{303} i\u{328}\u{307}\u{303}",
        // A zero-width non-joiner inside a Persian word.
        "می\u{200C}خواهم",
    ] {
        assert_eq!(accepted(member(), "name", text), text);
        assert_eq!(accepted(member(), "notes", text), text);
    }
}

#[test]
fn more_than_four_combining_marks_on_one_letter_are_rejected() {
    let four = format!("z{}", "\u{301}".repeat(4));
    assert_eq!(accepted(member(), "name", &four), four);
    let zalgo = format!("Z{}algo", "\u{301}\u{316}\u{35C}".repeat(10));
    for (field, record) in [
        ("name", member as fn() -> Member),
        ("notes", member),
        ("city", member),
    ] {
        let e = rejected(record(), field, &zalgo);
        assert!(e.reason.contains("more than 4 combining marks"), "{e}");
    }
    let e = rejected(news(), "body", &format!("ok\n{zalgo}"));
    // "ok", the line break, Z and four marks pass; the fifth mark is refused.
    assert!(e.reason.contains("at character 9"), "{e}");
    rejected(meeting(), "decisions", &zalgo);
    rejected(member(), "areas", &zalgo);
}

#[test]
fn single_line_fields_reject_line_breaks_multi_line_keep_them() {
    check_all_records('\n', true);
    check_all_records('\t', true);

    let notes = "# Susitikimas\n\n\t- pirmas\n\t- antras";
    assert_eq!(accepted(member(), "notes", notes), notes);
    assert_eq!(accepted(meeting(), "notes", notes), notes);
    assert_eq!(accepted(news(), "body", notes), notes);
    // Windows line ends become \n; trailing blanks go.
    assert_eq!(accepted(news(), "body", "a\r\nb\r\n  "), "a\nb");
    rejected(member(), "name", "UAB\nŠviesa");
}

// ---------------------------------------------------------------- slugs

#[test]
fn news_slug_is_derived_from_the_title() {
    let mut n = news();
    n.set_text("title", "Klasterio renginys Šiauliuose")
        .unwrap();
    let out = validate(&n, &ctx()).unwrap();
    assert_eq!(out.slug, "klasterio-renginys-siauliuose");
    assert_eq!(out.key(), "klasterio-renginys-siauliuose");

    n.set_text("title", "Ąžuolų ĄČĘĖĮŠŲŪŽ ąčęėįšųūž: 2024!")
        .unwrap();
    assert_eq!(
        validate(&n, &ctx()).unwrap().slug,
        "azuolu-aceeisuuz-aceeisuuz-2024"
    );

    // A given slug is kept, and must be a slug.
    n.set_text("slug", "mano-naujiena").unwrap();
    assert_eq!(validate(&n, &ctx()).unwrap().slug, "mano-naujiena");
    rejected(news(), "slug", "Mano Naujiena");
    rejected(news(), "slug", "-bad");

    let mut n = news();
    n.set_text("title", "!!!").unwrap();
    let e = validate(&n, &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["slug"], "{e}");
}

#[test]
fn meeting_slug_defaults_to_date_and_title() {
    let mut m = meeting();
    m.set_text("title", "Patirties sklaidos renginys Šiauliuose")
        .unwrap();
    let out = validate(&m, &ctx()).unwrap();
    assert_eq!(
        out.slug,
        "2024-03-05-patirties-sklaidos-renginys-siauliuose"
    );

    m.set_text("slug", "valdyba-1").unwrap();
    assert_eq!(validate(&m, &ctx()).unwrap().slug, "valdyba-1");
}

// ---------------------------------------------------------------- sizes

#[test]
fn sizes_are_bounded() {
    let name200 = "ą".repeat(200);
    assert_eq!(accepted(member(), "name", &name200), name200);
    let e = rejected(member(), "name", &"ą".repeat(201));
    assert!(e.reason.contains("200"), "{e}");
    accepted(news(), "title", &"a".repeat(200));
    rejected(news(), "title", &"a".repeat(201));
    rejected(meeting(), "title", &"a".repeat(201));

    let mib = 1024 * 1024;
    let body = "a".repeat(mib);
    assert_eq!(accepted(news(), "body", &body).len(), mib);
    let e = rejected(news(), "body", &"a".repeat(mib + 1));
    assert!(e.reason.contains("bytes"), "{e}");
    accepted(member(), "notes", &body);
    rejected(member(), "notes", &"a".repeat(mib + 1));
    // Bytes, not characters: 2-byte letters reach the bound at half the count.
    rejected(meeting(), "notes", &"ą".repeat(mib / 2 + 1));
}

// ---------------------------------------------------------------- validate

#[test]
fn validate_collects_several_errors_at_once() {
    let mut m = Member::empty(id());
    m.code = "bad code!".into();
    m.email = "nope".into();
    m.country = "XX".into();
    m.joined = Some(date(2020, 1, 1));
    m.left = Some(date(2019, 1, 1));
    m.website = "www.x.lt".into();
    let e = validate(&m, &ctx()).unwrap_err();
    assert_eq!(
        fields_of(&e),
        [
            "code", "country", "email", "left", "name", "sector", "website"
        ],
        "{e}"
    );
    // One error per field: a code that is there but malformed is not also "required".
    let code: Vec<_> = e.0.iter().filter(|e| e.field == "code").collect();
    assert!(code[0].reason.contains("not a member code"), "{e}");
}

#[test]
fn validate_rechecks_records_built_in_code() {
    // Records made in code or read from files pass the same rules as typed ones.
    let mut m = member();
    m.name = "UAB \u{1b}[31mRed".into();
    m.areas = vec!["Smart City".into(), "smart-city".into()];
    m.code = "lt-9".into();
    let e = validate(&m, &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["name"], "{e}");
    m.name = "UAB Red".into();
    let out = validate(&m, &ctx()).unwrap();
    assert_eq!(out.code, "LT-9");
    assert_eq!(out.areas, ["smart-city"]);

    let mut n = news();
    n.members = vec!["lt1".into()];
    n.lang = Some(Lang::En);
    let out = validate(&n, &ctx()).unwrap();
    assert_eq!(out.members, ["LT1"]);
    assert_eq!(out.created, Some(ctx().today));
}

#[test]
fn status_changes_are_dated() {
    let mut m = member();
    m.set_text("status", "active").unwrap();
    let out = validate(&m, &ctx()).unwrap();
    assert_eq!(out.status_history.len(), 1);
    assert_eq!(out.status_history[0].status, Status::Active);
    assert_eq!(out.status_history[0].date, ctx().today);
    // Validating again adds nothing while the status stays.
    assert_eq!(validate(&out, &ctx()).unwrap().status_history.len(), 1);
}

#[test]
fn contacts_and_actions_are_checked_whole() {
    let mut m = member();
    m.contacts = vec![clusterdesk::model::Contact {
        name: String::new(),
        role: "vadovas".into(),
        email: String::new(),
        phone: String::new(),
    }];
    let e = validate(&m, &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["contacts[1].name"], "{e}");
    m.contacts[0].name = "Ona".into();
    m.contacts[0].email = "a b@c.lt".into();
    let e = validate(&m, &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["contacts[1].email"], "{e}");

    let mut mt = meeting();
    mt.actions = vec![clusterdesk::model::Action {
        text: "Paruošti\u{1b}]0;x\u{7}".into(),
        owner: "LT1".into(),
        due: Some(date(2024, 4, 1)),
        done: false,
    }];
    let e = validate(&mt, &ctx()).unwrap_err();
    assert_eq!(fields_of(&e), ["actions[1].text"], "{e}");
    mt.actions[0].text = "Paruošti ataskaitą".into();
    let out = validate(&mt, &ctx()).unwrap();
    assert_eq!(out.actions[0].due, Some(Date::new(2024, 4, 1).unwrap()));
}
