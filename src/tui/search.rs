//! Incremental search (`/`) over a list's rows, with nucleo-matcher.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};

use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::rows::Row;

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

/// Lower case with Lithuanian and Polish letters as their ASCII base, one
/// character for one, so match positions in the folded text are positions
/// in the original.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    let mut buf = [0u8; 4];
    crate::model::text::sort_fold(c.encode_utf8(&mut buf))
        .chars()
        .next()
        .unwrap_or(c)
}

impl Searcher {
    /// The rows among `candidates` that match `query`, best first (ties keep
    /// the candidates' order). When the query only grew since the last key,
    /// the caller passes the last matches as candidates: fewer to look at.
    pub fn filter(&mut self, rows: &[Row], candidates: &[u32], query: &str) -> Vec<u32> {
        if query.trim().is_empty() {
            return candidates.to_vec();
        }
        let pattern = pattern(query);
        let mut scored: Vec<(u32, u32)> = Vec::new();
        for &i in candidates {
            let Some(row) = rows.get(i as usize) else {
                continue;
            };
            let hay = Utf32Str::new(&row.hay, &mut self.buf);
            if let Some(score) = pattern.score(hay, &mut self.matcher) {
                scored.push((score, i));
            }
        }
        // Stable: equal scores keep the list's own order.
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        scored.into_iter().map(|(_, i)| i).collect()
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
        Row {
            id: Uuid::nil(),
            values: vec![hay.to_string()],
            hay: hay.to_string(),
        }
    }

    #[test]
    fn words_match_as_typed_with_letters_folded() {
        let rows: Vec<Row> = [
            "Šiaulių transformatorių gamykla Šiauliai",
            "Kauno elektros įranga Kaunas",
            "s i a u l scattered",
        ]
        .iter()
        .map(|h| row(&fold(h)))
        .collect();
        let mut s = Searcher::default();
        assert_eq!(s.filter(&rows, &[0, 1, 2], "siaul"), vec![0]);
        assert_eq!(s.filter(&rows, &[0, 1, 2], "ŠIAUL"), vec![0]);
        assert_eq!(s.filter(&rows, &[0, 1, 2], "kaun iranga"), vec![1]);
        assert_eq!(s.filter(&rows, &[0, 1, 2], ""), vec![0, 1, 2]);
        assert_eq!(s.highlights("Šiauliai", "siaul"), vec![0, 1, 2, 3, 4]);
    }
}
