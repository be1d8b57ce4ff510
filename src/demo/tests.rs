use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::model::{NewsStatus, Status};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn all<R: Record>(store: &Store) -> Result<Vec<R>, StoreError> {
    store.scan::<R>(None)?.collect()
}

fn built() -> Result<(tempfile::TempDir, Store, DemoSummary), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("db"))?;
    let summary = build(&store)?;
    Ok((dir, store, summary))
}

#[test]
fn fills_an_empty_store_with_every_kind_of_record() -> TestResult {
    let (_dir, store, summary) = built()?;
    assert!(summary.created);
    assert!(summary.members >= 36 && summary.news >= 12 && summary.meetings >= 40);
    let members: Vec<Member> = all(&store)?;
    assert_eq!(members.len(), summary.members);
    let sectors: BTreeSet<_> = members.iter().filter_map(|m| m.sector).collect();
    let statuses: BTreeSet<_> = members.iter().map(|m| m.status).collect();
    assert_eq!(sectors.len(), Sector::ALL.len());
    assert_eq!(statuses.len(), Status::ALL.len());
    for m in &members {
        assert!((1..=3).contains(&m.contacts.len()), "{}", m.code);
        assert!(m.website.starts_with("https://") && !m.areas.is_empty());
        if m.status == Status::Former {
            assert!(
                m.left.zip(m.joined).is_some_and(|(l, j)| l > j),
                "{}",
                m.code
            );
        }
    }
    assert!(
        members
            .iter()
            .any(|m| (150..=200).contains(&m.name.chars().count()))
    );
    assert!(
        members
            .iter()
            .any(|m| m.name.contains('⚡') || m.notes.contains('⚡'))
    );
    let text: String = members.iter().map(|m| m.name.as_str()).collect();
    assert!("ąčęėįšųūž".chars().all(|c| text.to_lowercase().contains(c)));
    assert!(
        ["LV", "PL", "EE"]
            .iter()
            .all(|c| members.iter().any(|m| m.country == *c))
    );

    let mut years: BTreeMap<String, Vec<i16>> = BTreeMap::new();
    for i in all::<Indicator>(&store)? {
        assert!(i.export_eur <= i.turnover_eur);
        years.entry(i.member.clone()).or_default().push(i.year);
    }
    for m in members.iter().filter(|m| m.status != Status::Prospect) {
        assert_eq!(years.get(&m.code), Some(&YEARS.to_vec()), "{}", m.code);
    }
    assert_eq!(
        summary.indicators,
        years.values().map(Vec::len).sum::<usize>()
    );

    let meetings: Vec<Meeting> = all(&store)?;
    let sharing = meetings
        .iter()
        .filter(|m| m.kind == Some(MeetingKind::ExperienceSharing));
    assert!(sharing.count() >= 30);
    let today = crate::model::date::today();
    for m in &meetings {
        assert!((3..=12).contains(&m.attendees.len()) && (1..=3).contains(&m.decisions.len()));
        assert!(m.actions.len() <= 3 && m.date.is_some_and(|d| (2012..=2025).contains(&d.year())));
        assert!(m.actions.iter().all(|a| a.due.is_some_and(|d| d <= today)));
    }

    let news: Vec<NewsItem> = all(&store)?;
    let langs: BTreeSet<_> = news
        .iter()
        .filter_map(|n| n.lang.map(Lang::as_str))
        .collect();
    let states: BTreeSet<_> = news.iter().map(|n| n.status.as_str()).collect();
    assert_eq!(
        (langs.len(), states.len()),
        (Lang::ALL.len(), NewsStatus::ALL.len())
    );
    assert!(
        news.iter()
            .all(|n| !n.members.is_empty() && !n.tags.is_empty())
    );
    assert!(
        news.iter()
            .all(|n| n.slug.is_ascii() && n.created.is_some_and(|d| d <= today))
    );
    assert!(store.contains::<NewsItem>("siauliuose-atidaryta-ismaniuju-tinklu-laboratorija")?);
    Ok(())
}

#[test]
fn a_store_with_members_is_left_alone() -> TestResult {
    let (_dir, store, first) = built()?;
    let second = build(&store)?;
    assert!(!second.created);
    assert_eq!(
        second,
        DemoSummary {
            created: false,
            ..first
        }
    );
    Ok(())
}

#[test]
fn the_same_demo_every_time() -> TestResult {
    let names = |store: &Store| -> Result<Vec<(String, String)>, StoreError> {
        Ok(all::<Member>(store)?
            .into_iter()
            .map(|m| (m.code, m.name))
            .collect())
    };
    let (_a, one, _) = built()?;
    let (_b, two, _) = built()?;
    assert_eq!(names(&one)?, names(&two)?);
    assert_eq!(one.keys::<Meeting>()?, two.keys::<Meeting>()?);
    Ok(())
}
