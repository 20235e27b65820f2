//! Project automation behind `cargo xtask`: fetching the pinned model, generating the client
//! crate and checking that the checked-in crate is fresh.

pub mod api_diff;
pub mod atomic;
pub mod bench;
pub mod bench_readme;
pub mod big_model;
pub mod ci_summary;
pub mod clients;
pub mod codegen;
pub mod endpoints;
pub mod fixtures;
pub mod function_length;
pub mod generate;
pub mod lent_rules;
pub mod model_source;
pub mod models;
pub mod module_graph;
pub mod moto;
pub mod outputs;
pub mod protocol_tests;
pub mod readme;
pub mod scratch;
pub mod sources;
pub mod update_model;

/// The command that regenerates the crate, as the do-not-edit header and errors name it.
pub const REGENERATE: &str = "cargo xtask codegen";
