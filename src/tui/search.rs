//! Incremental search (`/`) over a list's rows, with nucleo-matcher.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};

use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::rows::Row;
use crate::model::text::fold;

/// Finds rows as a query is typed; keeps its matcher and buffers between keys.
pub struct Searcher {
    matcher: Matcher,
    buf: Vec<char>,
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }
}

/// Each word of the query must appear in the row as typed (not scattered:
/// over names, cities and contacts a scattered match finds nearly every
/// row). Query and rows are folded alike (`Š` -> `s`, see `fold`), since
/// nucleo's own normalisation leaves Lithuanian letters as they are.
fn pattern(query: &str) -> Pattern {
    Pattern::new(
        &fold(query),
        CaseMatching::Ignore,
        Normalization::Never,
        AtomKind::Substring,
    )
}

impl Searcher {
    /// The rows among `candidates` that match `query`, best first (ties keep
    /// the candidates' order). When the query only grew since the last key,
    /// the caller passes the last matches as candidates: fewer to look at.
    ///
    /// Rows are scored in the order they sit in memory, not in the list's
    /// order: at 100,000 rows the walk is bound by memory, not matching.
    pub fn filter(&mut self, rows: &[Row], candidates: &[u32], query: &str) -> Vec<u32> {
        if query.trim().is_empty() {
            return candidates.to_vec();
        }
        let pattern = pattern(query);
        let mut wanted = vec![false; rows.len()];
        for &i in candidates {
            if let Some(w) = wanted.get_mut(i as usize) {
                *w = true;
            }
        }
        // 0: not a match; otherwise the score, plus one.
        let mut scores = vec![0u32; rows.len()];
        for (i, row) in rows.iter().enumerate() {
            if !wanted[i] {
                continue;
            }
            let hay = Utf32Str::new(&row.hay, &mut self.buf);
            if let Some(score) = pattern.score(hay, &mut self.matcher) {
                scores[i] = score.saturating_add(1);
            }
        }
        let mut matched: Vec<u32> = candidates
            .iter()
            .copied()
            .filter(|&i| scores.get(i as usize).is_some_and(|&s| s > 0))
            .collect();
        // Stable: equal scores keep the list's own order.
        matched.sort_by_key(|&i| std::cmp::Reverse(scores[i as usize]));
        matched
    }

    /// Which characters of `text` match `query`, for highlighting (char indices).
    pub fn highlights(&mut self, text: &str, query: &str) -> Vec<u32> {
        if query.trim().is_empty() {
            return Vec::new();
        }
        let pattern = pattern(query);
        let mut indices = Vec::new();
        let folded = fold(text);
        let hay = Utf32Str::new(&folded, &mut self.buf);
        pattern.indices(hay, &mut self.matcher, &mut indices);
        indices.sort_unstable();
        indices.dedup();
        indices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn row(hay: &str) -> Row {
        Row::new(Uuid::nil(), &[hay], "")
    }

    #[test]
    fn words_match_as_typed_with_letters_folded() {
        let rows: Vec<Row> = [
            "Šiaulių transformatorių gamykla Šiauliai",
            "Kauno elektros įranga Kaunas",
            "s i a u l scattered",
        ]
        .iter()
        .map(|h| row(h))
        .collect();
        let mut s = Searcher::default();
        assert_eq!(s.filter(&rows, &[0, 1, 2], "siaul"), vec![0]);
        assert_eq!(s.filter(&rows, &[0, 1, 2], "ŠIAUL"), vec![0]);
        assert_eq!(s.filter(&rows, &[0, 1, 2], "kaun iranga"), vec![1]);
        assert_eq!(s.filter(&rows, &[0, 1, 2], ""), vec![0, 1, 2]);
        assert_eq!(s.highlights("Šiauliai", "siaul"), vec![0, 1, 2, 3, 4]);
    }
}
