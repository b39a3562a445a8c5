//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `wanted`, if any is close enough to be a plausible misspelling.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != wanted)
        .map(|candidate| {
            let distance = if candidate.eq_ignore_ascii_case(wanted) {
                0
            } else {
                edit_distance(wanted, candidate)
            };
            (distance, candidate)
        })
        .filter(|&(distance, _)| distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, counted in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case_slips() {
        let names = ["Vehicle", "Position", "Fleet"];
        assert_eq!(closest("Vehicel", names), Some("Vehicle"));
        assert_eq!(closest("vehicle", names), Some("Vehicle"));
        assert_eq!(closest("Posiiton", names), Some("Position"));
        assert_eq!(closest("Unrelated", names), None);
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ç", "c"), 1);
    }
}
