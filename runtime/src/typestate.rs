//! Markers for builders that track at compile time which required members are set.

/// A required member has been set.
#[derive(Clone, Copy, Debug, Default)]
pub struct Set;

/// A required member has not been set yet.
#[derive(Clone, Copy, Debug, Default)]
pub struct Missing;
