//! End-to-end tests of the command line, from the case files in
//! `tests/cmd/` (arguments, stdin, expected stdout, stderr and exit code).
//! Cases run in `tests/fixtures/`. Expectations stick to findings that are
//! stable (spam/hashtag-stuffing) or elide with `...` and `[..]`, because
//! the other rules are still being tuned.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
