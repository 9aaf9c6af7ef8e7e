//! A table with one entry per token (or sentence) of a post, kept in place
//! for a post of ordinary length.

use std::ops::{Deref, DerefMut};

/// `len` values, each first `T::default()`, held in place (no allocation)
/// when there are at most `N` of them, on the heap when there are more.
///
/// The rules and detectors make many short-lived tables of a post's
/// length: a bit per token, the tokens a scan should look at, a flag per
/// sentence. Made as `vec![0; n]`, each was a call to the allocator, then
/// to `memset` with a length that changes from post to post (whose
/// branches on the length the processor mispredicts), and a free. Here a
/// post with no more than `N` tokens (nearly all of them: a median post has
/// about 30) zeroes an array of a fixed size, a few stores with no branch,
/// and the heap is used only past that.
pub struct Table<T, const N: usize> {
    inline: [T; N],
    /// The values when there are more than `N` of them; empty otherwise.
    heap: Vec<T>,
    /// The number of values held in `inline`.
    len: usize,
}

/// A [`Table`] with an entry per token of a post: in place for up to 128
/// tokens (99 posts in 100).
pub type PerToken<T> = Table<T, 128>;

/// A [`Table`] with an entry per sentence of a post: in place for up to 16.
pub type PerSentence<T> = Table<T, 16>;

impl<T: Copy + Default, const N: usize> Table<T, N> {
    /// `len` values, each `T::default()`.
    #[inline]
    pub fn new(len: usize) -> Table<T, N> {
        let heap = if len > N { vec![T::default(); len] } else { Vec::new() };
        Table {
            inline: [T::default(); N],
            heap,
            len: len.min(N),
        }
    }

    /// Keeps the first `len` values (all of them when there are fewer).
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
        self.heap.truncate(len);
    }
}

impl<const N: usize> Table<u32, N> {
    /// The numbers `i` in `0..self.len()` for which `keep(i)` holds, in
    /// order: written over the table, which is cut to them.
    ///
    /// Listed without a branch on `keep`: each number is written at the end
    /// of the list, which moves on by one only when it is kept. A scan
    /// that looks at a few of a post's tokens (the capitalised words, the
    /// numbers) lists them so, then looks at each; a branch on the test
    /// for every token goes either way as the words of a post go, and the
    /// processor mispredicts it. `keep` should be cheap and free of
    /// branches (`&` and `|` on `bool`s, table reads).
    ///
    /// (The table is filled where it is, not made and returned: a table
    /// returned is copied, a call to `memcpy` for its whole inline array.)
    #[inline]
    pub fn select(&mut self, mut keep: impl FnMut(usize) -> bool) -> &[u32] {
        let at: &mut [u32] = self;
        let n = at.len();
        let mut m = 0;
        for i in 0..n {
            // `m <= i < n`: always a slot.
            if let Some(slot) = at.get_mut(m) {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
            }
            m += usize::from(keep(i));
        }
        self.truncate(m);
        self
    }
}

impl<T, const N: usize> Deref for Table<T, N> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        // The heap holds values only for a table too long to fit in place
        // (or cut down from one).
        if self.heap.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }
}

impl<T, const N: usize> DerefMut for Table<T, N> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        if self.heap.is_empty() {
            &mut self.inline[..self.len]
        } else {
            &mut self.heap
        }
    }
}

impl<'t, T, const N: usize> IntoIterator for &'t Table<T, N> {
    type Item = &'t T;
    type IntoIter = std::slice::Iter<'t, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::Table;

    #[test]
    fn lists_the_numbers_kept() {
        for n in [0, 3, 4, 5, 40] {
            let mut list = Table::<u32, 4>::new(n);
            let want: Vec<u32> = (0..n as u32).filter(|i| i % 3 != 1).collect();
            assert_eq!(list.select(|i| i % 3 != 1).to_vec(), want);
            assert_eq!(list.to_vec(), want);
        }
    }

    #[test]
    fn holds_len_values_in_place_or_on_the_heap() {
        for n in [0, 1, 3, 4, 5, 40] {
            let mut t = Table::<u32, 4>::new(n);
            assert_eq!(t.len(), n);
            assert!(t.iter().all(|&x| x == 0));
            for (i, x) in t.iter_mut().enumerate() {
                *x = i as u32;
            }
            assert_eq!(t.iter().copied().collect::<Vec<_>>(), (0..n as u32).collect::<Vec<_>>());
            for m in [n + 1, n, n / 2, 0] {
                t.truncate(m);
                assert_eq!(t.len(), m.min(n));
                assert_eq!(
                    t.iter().copied().collect::<Vec<_>>(),
                    (0..m.min(n) as u32).collect::<Vec<_>>()
                );
            }
        }
    }
}
