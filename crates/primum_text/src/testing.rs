//! What the crate's tests share.

/// A xorshift generator of the random texts that hold the fast paths to
/// the plain code: fixed seeds, so a failure repeats.
pub(crate) struct XorShift(pub u64);

impl XorShift {
    /// Steps the state and returns it.
    pub(crate) fn next(&mut self) -> u64 {
        let s = &mut self.0;
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        *s
    }
}
