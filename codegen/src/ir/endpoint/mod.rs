//! Endpoints: the service's rule set ([`rules`], as [`read`] reads it), checked and compiled
//! to a typed [`resolver`] ([`check`]), the parameters each operation sets ([`context_params`]) and the
//! AWS partitions data the rules consult ([`partitions`]).

pub mod check;
pub mod context_params;
pub mod partitions;
pub mod read;
pub mod resolver;
pub mod rules;
