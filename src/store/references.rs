//! What still refers to a member: a member that indicators, news or
//! meetings name is not removed.

use super::StoreError;
use super::batch::Batch;
use crate::model::{Collection, Indicator, Meeting, NewsItem, Record};

impl Batch<'_> {
    /// What still refers to a member, as this batch would leave the store.
    pub(super) fn references_to(&self, code: &str) -> Result<Vec<String>, StoreError> {
        let mut by = Vec::new();
        let mut note = |c: Collection, count: usize| match count {
            0 => {}
            1 => by.push(format!("1 {}", c.singular())),
            n => by.push(format!("{n} {}", plural(c))),
        };
        let refers = |refs: Vec<(&'static str, String)>| refs.iter().any(|(_, c)| c == code);
        note(
            Collection::Indicators,
            self.count_referring::<Indicator>(&refers)?,
        );
        note(Collection::News, self.count_referring::<NewsItem>(&refers)?);
        note(
            Collection::Meetings,
            self.count_referring::<Meeting>(&refers)?,
        );
        Ok(by)
    }

    fn count_referring<R: Record>(
        &self,
        refers: &dyn Fn(Vec<(&'static str, String)>) -> bool,
    ) -> Result<usize, StoreError> {
        let mut count = 0;
        for record in self.store.scan::<R>(None)? {
            let record = record?;
            if let Some(current) = self.current::<R>(record.id())?
                && refers(current.member_refs())
            {
                count += 1;
            }
        }
        // Records this batch creates are not in the store yet.
        for op in self
            .ops
            .iter()
            .filter(|op| op.collection == R::COLLECTION && op.before.is_none())
        {
            if let Some(r) = self.current::<R>(op.id)?
                && refers(r.member_refs())
            {
                count += 1;
            }
        }
        Ok(count)
    }
}

/// "news items" rather than "news" when counting.
fn plural(c: Collection) -> &'static str {
    match c {
        Collection::News => "news items",
        other => other.as_str(),
    }
}
