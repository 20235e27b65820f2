//! A required input member left unset is a compile-time error that names it.

#[test]
fn missing_required_members_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
