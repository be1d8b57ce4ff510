//! What still refers to a member: a member that a record of any collection
//! names (`Record::member_refs`) is not removed.

use super::StoreError;
use super::batch::Batch;
use crate::model::{Collection, Record};

impl Batch<'_> {
    /// What still refers to a member, as this batch would leave the store.
    pub(super) fn references_to(&self, code: &str) -> Result<Vec<String>, StoreError> {
        let refers = |refs: Vec<(&'static str, String)>| refs.iter().any(|(_, c)| c == code);
        let mut by = Vec::new();
        for c in Collection::ALL
            .into_iter()
            .filter(|c| c.refers_to_members())
        {
            match crate::each_record!(type of c, R => self.count_referring::<R>(&refers)?) {
                0 => {}
                1 => by.push(format!("1 {}", c.singular())),
                n => by.push(format!("{n} {}", c.plural())),
            }
        }
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
