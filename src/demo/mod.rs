//! A realistic demo cluster for trying clusterdesk out: members of every sector
//! and status, three years of indicators, news items and meetings. Generated
//! from a fixed seed and a fixed base date, so every run gives the same data.

use fastrand::Rng;
use jiff::Span;
use jiff::civil::{Date, Weekday};
use uuid::Uuid;

use crate::model::text::kebab;
use crate::model::{
    Action, Contact, Indicator, Lang, Meeting, MeetingKind, Member, NewsItem, Record, Sector,
    StatusChange,
};
use crate::store::{Store, StoreError};

/// What the demo put in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub members: usize,
    pub indicators: usize,
    pub news: usize,
    pub meetings: usize,
    pub created: bool,
}

const SEED: u64 = 0xC1A5_7E2D_2025_0930;
/// Every date is relative to this day (not to the clock), and lies at most a
/// few weeks after it, so the demo never holds a date in the future.
const BASE: Date = Date::constant(2025, 9, 30);
const YEARS: [i16; 3] = [2022, 2023, 2024];
const MEETINGS: usize = 42;

mod data;
use data::*;

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn days_before(days: i64) -> Date {
    BASE.saturating_sub(Span::new().days(days))
}

fn after(date: Date, days: i64) -> Date {
    date.saturating_add(Span::new().days(days))
}

/// Sets scalar fields from text, as a user would type them.
fn fill<R: Record>(record: &mut R, fields: &[(&str, &str)]) -> Result<(), StoreError> {
    for (field, value) in fields {
        record
            .set_text(field, value)
            .map_err(|e| StoreError::Invalid {
                collection: R::COLLECTION,
                key: record.key(),
                errors: e.into(),
            })?;
    }
    Ok(())
}

fn phone(rng: &mut Rng, country: &str) -> String {
    match country {
        "LV" => format!("+371 2{:03} {:04}", rng.u32(..1000), rng.u32(..10_000)),
        "PL" => format!(
            "+48 5{:02} {:03} {:03}",
            rng.u32(..100),
            rng.u32(..1000),
            rng.u32(..1000)
        ),
        "EE" => format!("+372 5{:03} {:04}", rng.u32(..1000), rng.u32(..10_000)),
        _ => format!("+370 6{:02} {:05}", rng.u32(..100), rng.u32(..100_000)),
    }
}

fn member_code(rng: &mut Rng, i: u32, name: &str, sector: Sector, country: &str) -> String {
    let n = i * 210_000 + rng.u32(..200_000);
    match country {
        "LV" => format!("LV-40003{n:06}"),
        "PL" => format!("PL-0000{n:06}"),
        "EE" => format!("EE-1{n:07}"),
        // Universities and public bodies get the cluster's own numbering.
        _ if matches!(sector, Res | Public) && !name.contains("UAB") => format!("ITK-{:03}", i + 1),
        _ if name.starts_with("AB ") => format!("1{n:08}"),
        _ => format!("30{n:07}"),
    }
}

fn contacts(rng: &mut Rng, country: &str, domain: &str) -> Vec<Contact> {
    let first_role = rng.usize(..ROLES.len());
    let people: Vec<_> = FOREIGN.iter().filter(|p| p.0 == country).collect();
    let mut out: Vec<Contact> = Vec::new();
    for k in 0..rng.usize(1..=3) {
        let (first, last, role) = match rng.choice(&people) {
            Some(&&(_, first, last)) => (
                first,
                last,
                FOREIGN_ROLES[(first_role + k) % FOREIGN_ROLES.len()],
            ),
            None => {
                let female = rng.bool();
                let (firsts, lasts) = if female { FEMALE } else { MALE };
                let (m, f) = ROLES[(first_role + k) % ROLES.len()];
                (
                    pick(rng, firsts),
                    pick(rng, lasts),
                    if female { f } else { m },
                )
            }
        };
        let name = format!("{first} {last}");
        if out.iter().all(|c| c.name != name) {
            out.push(Contact {
                name,
                role: role.to_string(),
                email: format!("{}.{}@{domain}", kebab(first), kebab(last)),
                phone: phone(rng, country),
            });
        }
    }
    out
}

fn members(rng: &mut Rng) -> Result<Vec<Member>, StoreError> {
    let mut out = Vec::with_capacity(MEMBERS.len());
    for (i, &(name, domain, sector, city, country, status)) in MEMBERS.iter().enumerate() {
        let mut m = Member::empty(Uuid::now_v7());
        let code = member_code(rng, i as u32, name, sector, country);
        let mut areas: Vec<&str> = AREAS.to_vec();
        rng.shuffle(&mut areas);
        areas.truncate(rng.usize(1..=3));
        let notes = format!(
            "## Apie narį\n\n{}\n\n- Sritys: {}\n- Miestas: {city}\n",
            NOTES[i % NOTES.len()],
            areas.join(", ")
        );
        let (website, email) = (format!("https://www.{domain}"), format!("info@{domain}"));
        let phone = phone(rng, country);
        fill(
            &mut m,
            &[
                ("code", &code),
                ("name", name),
                ("sector", sector.as_str()),
                ("status", status.as_str()),
                ("city", city),
                ("country", country),
                ("website", &website),
                ("email", &email),
                ("phone", &phone),
                ("notes", &notes),
            ],
        )?;
        m.areas = areas.iter().map(|a| a.to_string()).collect();
        m.contacts = contacts(rng, country, domain);
        let joined = after(Date::constant(2009, 1, 15), rng.i64(0..14 * 365));
        let change = |date, status| StatusChange { date, status };
        m.status_history = match status {
            P => vec![change(days_before(rng.i64(20..400)), P)],
            A => vec![change(joined, A)],
            S | F => {
                let since = days_before(rng.i64(0..600));
                if status == F {
                    fill(&mut m, &[("left", &since.to_string())])?;
                }
                vec![change(joined, A), change(since, status)]
            }
        };
        if status != P {
            fill(&mut m, &[("joined", &joined.to_string())])?;
        }
        out.push(m);
    }
    Ok(out)
}

fn indicators(rng: &mut Rng, members: &[Member]) -> Result<Vec<Indicator>, StoreError> {
    let mut out = Vec::new();
    for m in members.iter().filter(|m| m.status != P) {
        let mut employees = u64::from(rng.u32(4..600));
        let per_head = rng.u64(45_000..180_000);
        let (export_pct, rnd_pct) = (rng.u64(0..=80), rng.u64(1..=10));
        for year in YEARS {
            employees = (employees * rng.u64(92..=115) / 100).max(3);
            let turnover = employees * per_head * rng.u64(90..=120) / 100;
            let export = turnover * (export_pct + rng.u64(0..=10)) / 100;
            let rnd = turnover * (rnd_pct + rng.u64(0..=2)) / 100;
            let mut r = Indicator::empty(Uuid::now_v7());
            fill(
                &mut r,
                &[
                    ("member", &m.code),
                    ("year", &year.to_string()),
                    ("turnover_eur", &turnover.to_string()),
                    ("export_eur", &export.to_string()),
                    ("rnd_eur", &rnd.to_string()),
                    ("employees", &employees.to_string()),
                ],
            )?;
            out.push(r);
        }
    }
    Ok(out)
}

fn meetings(rng: &mut Rng, members: &[Member]) -> Result<Vec<Meeting>, StoreError> {
    let mut out = Vec::with_capacity(MEETINGS);
    for i in 0..MEETINGS {
        let mut date = days_before(((MEETINGS - 1 - i) * 115) as i64 + rng.i64(7..37));
        date = match date.weekday() {
            Weekday::Saturday => after(date, -1),
            Weekday::Sunday => after(date, -2),
            _ => date,
        };
        let topic = pick(rng, TOPICS);
        let (kind, title) = match (i % 4, (i / 4) % 3) {
            (0..=2, _) => (
                MeetingKind::ExperienceSharing,
                format!("Patirties dalijimasis: {topic}"),
            ),
            (_, 0) => (MeetingKind::Workshop, format!("Dirbtuvės: {topic}")),
            (_, 1) => (MeetingKind::Board, "Klasterio valdybos posėdis".to_string()),
            _ => (
                MeetingKind::GeneralAssembly,
                "Visuotinis narių susirinkimas".to_string(),
            ),
        };
        // Members of the cluster on that day; the earliest meetings fall back to all.
        let mut present: Vec<&Member> = members
            .iter()
            .filter(|m| m.joined.is_some_and(|j| j <= date) && m.left.is_none_or(|l| l >= date))
            .collect();
        if present.len() < 3 {
            present = members.iter().filter(|m| m.joined.is_some()).collect();
        }
        rng.shuffle(&mut present);
        present.truncate(rng.usize(3..=12));
        let speaker = present.first().map_or("", |m| m.name.as_str());
        let notes = format!(
            "## Darbotvarkė\n\n1. Pranešimas: {topic}\n2. Diskusija\n3. Kiti klausimai\n\n## Aptarta\n\n\
             - **{speaker}** pasidalijo patirtimi ir rezultatais.\n- Dalyvavo {} narių atstovai.\n",
            present.len()
        );
        let mut r = Meeting::empty(Uuid::now_v7());
        fill(
            &mut r,
            &[
                ("title", &title),
                ("date", &date.to_string()),
                ("start", pick(rng, STARTS)),
                ("location", pick(rng, LOCATIONS)),
                ("kind", kind.as_str()),
                ("notes", &notes),
            ],
        )?;
        r.attendees = present.iter().map(|m| m.code.clone()).collect();
        let mut decisions = DECISIONS.to_vec();
        rng.shuffle(&mut decisions);
        r.decisions = decisions[..rng.usize(1..=3)]
            .iter()
            .map(|d| d.to_string())
            .collect();
        r.actions = (0..rng.usize(0..=3))
            .map(|_| {
                let due = after(date, rng.i64(14..60));
                let owner = match present.get(rng.usize(..present.len() + 1)) {
                    Some(m) => m.code.clone(),
                    None => pick(rng, COORDINATORS).to_string(),
                };
                let done = due < BASE && rng.u8(..10) < 8;
                Action {
                    text: pick(rng, ACTIONS).to_string(),
                    owner,
                    due: Some(due),
                    done,
                }
            })
            .collect();
        out.push(r);
    }
    Ok(out)
}

fn news(rng: &mut Rng, members: &[Member]) -> Result<Vec<NewsItem>, StoreError> {
    let mut current: Vec<&Member> = members
        .iter()
        .filter(|m| matches!(m.status, A | S))
        .collect();
    let mut out = Vec::with_capacity(NEWS.len());
    for &(lang, status, title, summary, tags) in NEWS {
        rng.shuffle(&mut current);
        let about = &current[..rng.usize(1..=3)];
        let bullets: Vec<String> = about
            .iter()
            .map(|m| format!("- **{}** ({})", m.name, m.city))
            .collect();
        let (heading, more) = match lang {
            Lang::Lt => ("Dalyviai", "Daugiau informacijos"),
            Lang::En => ("Members involved", "More information"),
        };
        let body = format!(
            "{summary}\n\n### {heading}\n\n{}\n\n[{more}](https://www.klasteris.lt/naujienos)\n",
            bullets.join("\n")
        );
        let (created, publish_at, published_at) = match status {
            ND | NR => (days_before(rng.i64(1..60)), None, None),
            NS => (
                days_before(rng.i64(3..20)),
                Some(after(BASE, rng.i64(5..21))),
                None,
            ),
            NP | NW => {
                let created = days_before(rng.i64(20..900));
                (created, None, Some(after(created, rng.i64(0..5))))
            }
        };
        let show = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut r = NewsItem::empty(Uuid::now_v7());
        fill(
            &mut r,
            &[
                ("title", title),
                ("lang", lang.as_str()),
                ("status", status.as_str()),
                ("author", pick(rng, COORDINATORS)),
                ("summary", summary),
                ("body", &body),
                ("created", &created.to_string()),
                ("publish_at", &show(publish_at)),
                ("published_at", &show(published_at)),
            ],
        )?;
        r.tags = tags.iter().map(|t| t.to_string()).collect();
        r.members = about.iter().map(|m| m.code.clone()).collect();
        out.push(r);
    }
    Ok(out)
}

/// Fills an empty store with a realistic demo cluster; a store that already
/// holds members is left as it is (created = false, counts are what it holds).
pub fn build(store: &Store) -> Result<DemoSummary, StoreError> {
    // The batch holds the write lock, so no one fills the store between check and commit.
    let mut b = store.batch();
    let created = store.count::<Member>() == 0;
    if created {
        let mut rng = Rng::with_seed(SEED);
        let members = members(&mut rng)?;
        let indicators = indicators(&mut rng, &members)?;
        let meetings = meetings(&mut rng, &members)?;
        let news = news(&mut rng, &members)?;
        // Members first, so the records that name them find them in the batch.
        for r in members {
            b.put(r)?;
        }
        for r in indicators {
            b.put(r)?;
        }
        for r in meetings {
            b.put(r)?;
        }
        for r in news {
            b.put(r)?;
        }
        b.commit()?;
    }
    Ok(DemoSummary {
        members: store.count::<Member>(),
        indicators: store.count::<Indicator>(),
        news: store.count::<NewsItem>(),
        meetings: store.count::<Meeting>(),
        created,
    })
}

#[cfg(test)]
mod tests;
