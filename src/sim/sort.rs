//! One small stable sort for the whole crate. The standard library's stable sort is fast but
//! large, and it is compiled again for every element type and every key closure: fourteen
//! sorts of findings, flights, labels and script lines cost the bundle about 45 KB of code
//! (twiggy, pre-bindgen wasm). A merge sort through one `dyn` comparison is compiled once per
//! element type, in a few hundred bytes, and keeps the same order as `slice::sort_by_key`
//! (stable: equal keys keep their order), so every run and every picture is unchanged.
//!
//! The lists sorted here are short (findings, messages in flight, labels on screen, script
//! lines), so the dynamic call per comparison costs nothing worth measuring.

/// Sorts `items` by `key`, keeping items with equal keys in their order (as
/// `slice::sort_by_key` does).
pub fn sort_by_key<T: Clone, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, &|a: &T, b: &T| key(a) < key(b));
}

/// Sorts `items` in ascending order, keeping equal items in their order.
pub fn sort<T: Clone + Ord>(items: &mut [T]) {
    sort_by(items, &|a: &T, b: &T| a < b);
}

/// Sorts `items` so that no item comes after one it is `less` than; stable.
pub fn sort_by<T: Clone>(items: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    if items.len() < 2 {
        return;
    }
    let mut scratch = Vec::with_capacity(items.len() / 2 + 1);
    merge_sort(items, less, &mut scratch);
}

fn merge_sort<T: Clone>(items: &mut [T], less: &dyn Fn(&T, &T) -> bool, scratch: &mut Vec<T>) {
    let len = items.len();
    if len <= SHORT {
        // Insertion sort: each item moves left past the items it is less than.
        for i in 1..len {
            let mut j = i;
            while j > 0 && less(&items[j], &items[j - 1]) {
                items.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let middle = len / 2;
    merge_sort(&mut items[..middle], less, scratch);
    merge_sort(&mut items[middle..], less, scratch);
    // Already in order (the common case for lists built nearly sorted): nothing to merge.
    if !less(&items[middle], &items[middle - 1]) {
        return;
    }
    scratch.clear();
    scratch.extend_from_slice(&items[..middle]);
    let (mut left, mut right, mut out) = (0, middle, 0);
    while left < scratch.len() {
        // The right item goes first only if it is less: equal items keep their order.
        if right < len && less(&items[right], &scratch[left]) {
            items[out] = items[right].clone();
            right += 1;
        } else {
            items[out] = scratch[left].clone();
            left += 1;
        }
        out += 1;
    }
}

/// Lists this long or shorter are sorted by insertion.
const SHORT: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #[test]
        fn sorts_as_the_standard_stable_sort_does(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..300)) {
            let mut ours = items.clone();
            let mut theirs = items.clone();
            sort_by_key(&mut ours, |&(key, _)| key);
            theirs.sort_by_key(|&(key, _)| key);
            prop_assert_eq!(&ours, &theirs, "same order, equal keys in their order");
            let mut whole = items.clone();
            sort(&mut whole);
            let mut expected = items;
            expected.sort();
            prop_assert_eq!(whole, expected);
        }
    }

    #[test]
    fn short_and_sorted_lists_are_left_alone() {
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec![3];
        sort(&mut one);
        assert_eq!(one, [3]);
        let mut sorted: Vec<u32> = (0..100).collect();
        sort(&mut sorted);
        assert_eq!(sorted, (0..100).collect::<Vec<u32>>());
        let mut reversed: Vec<u32> = (0..100).rev().collect();
        sort(&mut reversed);
        assert_eq!(reversed, (0..100).collect::<Vec<u32>>());
    }
}
