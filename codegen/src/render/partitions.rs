//! The `aws.partition` table of the runtime, rendered from the partitions data (so nothing is
//! read at run time, and every generated client shares the one table).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use crate::error::{Error, Location};

fn outputs(
    fields: &Map<String, Value>,
    overrides: Option<&Map<String, Value>>,
    at: &Location,
) -> Result<TokenStream, Error> {
    let get = |key: &str| {
        overrides
            .and_then(|overrides| overrides.get(key))
            .or_else(|| fields.get(key))
    };
    let text = |key: &str| {
        get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                at.error(format!(
                    "partition output `{key}` is missing or not a string"
                ))
            })
    };
    let flag = |key: &str| {
        get(key).and_then(Value::as_bool).ok_or_else(|| {
            at.error(format!(
                "partition output `{key}` is missing or not a boolean"
            ))
        })
    };
    let (name, dns, dual, global) = (
        text("name")?,
        text("dnsSuffix")?,
        text("dualStackDnsSuffix")?,
        text("implicitGlobalRegion")?,
    );
    let (fips, dual_stack) = (flag("supportsFIPS")?, flag("supportsDualStack")?);
    Ok(quote! {
        crate::endpoint::PartitionOutputs {
            name: #name,
            dns_suffix: #dns,
            dual_stack_dns_suffix: #dual,
            supports_fips: #fips,
            supports_dual_stack: #dual_stack,
            implicit_global_region: #global,
        }
    })
}

/// The runtime's `src/endpoint/partitions.rs` from the partitions JSON.
pub fn render(json: &str) -> Result<TokenStream, Error> {
    let root = Location::root("partitions.json");
    let document: Value =
        serde_json::from_str(json).map_err(|error| root.error(format!("invalid JSON: {error}")))?;
    let partitions = document
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            root.field("partitions")
                .error("`partitions` must be an array")
        })?;
    let mut rendered = Vec::new();
    for (index, partition) in partitions.iter().enumerate() {
        let at = root.field("partitions").index(index);
        let id = partition
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| at.field("id").error("`id` must be a string"))?;
        let regex = partition
            .get("regionRegex")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                at.field("regionRegex")
                    .error("`regionRegex` must be a string")
            })?;
        regex_lite::Regex::new(regex).map_err(|problem| {
            at.field("regionRegex")
                .error(format!("`{regex}` does not compile: {problem}"))
        })?;
        let fields = partition
            .get("outputs")
            .and_then(Value::as_object)
            .ok_or_else(|| at.field("outputs").error("`outputs` must be an object"))?;
        let base = outputs(fields, None, &at.field("outputs"))?;
        let mut regions = Vec::new();
        if let Some(entries) = partition.get("regions").and_then(Value::as_object) {
            for (region, overrides) in entries {
                let region_outputs = outputs(
                    fields,
                    overrides.as_object(),
                    &at.field("regions").key(region),
                )?;
                regions.push(quote!((#region, #region_outputs)));
            }
        }
        rendered.push(quote! {
            crate::endpoint::Partition {
                id: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                outputs: #base,
                compiled: std::sync::OnceLock::new(),
            }
        });
    }
    let count = rendered.len();
    Ok(quote! {
        //! The AWS partitions table of `aws.partition`.

        /// The AWS partitions, rendered from the partitions data `model/partitions.lock` pins.
        pub(super) static PARTITIONS: [crate::endpoint::Partition; #count] = [#(#rendered),*];
    })
}
