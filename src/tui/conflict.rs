//! An edit whose record someone else changed meanwhile: the three versions
//! and what differs between them (the keys that resolve it are in
//! `resolve.rs`).

use crate::model::AnyRecord;

/// A save refused because the record changed since the edit began.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The record as the edit began from it.
    pub base: AnyRecord,
    /// The record as I would save it.
    pub mine: AnyRecord,
    /// The record as it is stored now (None: someone removed it).
    pub theirs: Option<AnyRecord>,
}

/// One field that differs, as the conflict view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: &'static str,
    pub theirs: String,
    pub mine: String,
    /// Both changed it, to different values.
    pub both: bool,
}

fn text(record: &AnyRecord, field: &str) -> String {
    record.get(field).map(|v| v.to_text()).unwrap_or_default()
}

impl Conflict {
    /// Fields where mine and theirs differ.
    pub fn differences(&self) -> Vec<Difference> {
        let Some(theirs) = &self.theirs else {
            return Vec::new();
        };
        self.mine
            .fields()
            .iter()
            .filter_map(|f| {
                let (t, m, b) = (
                    text(theirs, f.name),
                    text(&self.mine, f.name),
                    text(&self.base, f.name),
                );
                (t != m).then(|| Difference {
                    field: f.name,
                    both: t != b && m != b,
                    theirs: t,
                    mine: m,
                })
            })
            .collect()
    }

    /// Their record with every field I changed set to mine; None when they
    /// removed it. A field of mine their record refuses (a rule between
    /// fields) is an error: a merge never drops one of my changes quietly.
    pub fn merged(&self) -> Option<Result<AnyRecord, crate::model::FieldError>> {
        let mut merged = self.theirs.clone()?;
        for f in self.mine.fields() {
            let mine = text(&self.mine, f.name);
            if mine != text(&self.base, f.name)
                && let Err(e) = merged.set_text(f.name, &mine)
            {
                return Some(Err(e));
            }
        }
        Some(Ok(merged))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Collection, Record};
    use uuid::Uuid;

    fn member(phone: &str, city: &str) -> AnyRecord {
        let mut m = crate::model::Member::empty(Uuid::nil());
        m.set_text("code", "LT1").unwrap();
        m.set_text("name", "UAB A").unwrap();
        m.set_text("sector", "ict").unwrap();
        m.set_text("phone", phone).unwrap();
        m.set_text("city", city).unwrap();
        AnyRecord::Member(m)
    }

    #[test]
    fn differences_name_each_field_and_whether_both_changed_it() {
        let conflict = Conflict {
            base: member("+370 600 00001", "Vilnius"),
            mine: member("+370 600 00002", "Vilnius"),
            theirs: Some(member("+370 600 00003", "Kaunas")),
        };
        let d = conflict.differences();
        let fields: Vec<&str> = d.iter().map(|d| d.field).collect();
        assert_eq!(fields, ["city", "phone"]);
        assert!(!d[0].both, "only they changed the city");
        assert!(d[1].both, "both changed the phone");
        assert_eq!(conflict.mine.collection(), Collection::Members);
    }

    #[test]
    fn a_merge_keeps_their_fields_and_my_changed_ones() {
        let conflict = Conflict {
            base: member("+370 600 00001", "Vilnius"),
            mine: member("+370 600 00002", "Vilnius"),
            theirs: Some(member("+370 600 00001", "Kaunas")),
        };
        let merged = conflict.merged().unwrap().unwrap();
        assert_eq!(text(&merged, "phone"), "+370 600 00002");
        assert_eq!(text(&merged, "city"), "Kaunas");
    }
}
