//! The AWS partitions data (`partitions.json`), read and checked: every partition's id,
//! region pattern (it must compile) and outputs, with each region's overrides applied.

use serde_json::{Map, Value};

use crate::error::{Error, Location};

/// What `aws.partition` answers for a partition or one of its regions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`, e.g. `aws`.
    pub name: String,
    /// `dnsSuffix`.
    pub dns_suffix: String,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: String,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: String,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
}

/// One partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// `id`.
    pub id: String,
    /// `regionRegex` (checked to compile).
    pub region_regex: String,
    /// The partition's outputs.
    pub outputs: PartitionOutputs,
    /// The named regions, each with its outputs (the partition's, with its overrides).
    pub regions: Vec<(String, PartitionOutputs)>,
}

fn outputs(
    fields: &Map<String, Value>,
    overrides: Option<&Map<String, Value>>,
    at: &Location,
) -> Result<PartitionOutputs, Error> {
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
    Ok(PartitionOutputs {
        name: text("name")?,
        dns_suffix: text("dnsSuffix")?,
        dual_stack_dns_suffix: text("dualStackDnsSuffix")?,
        implicit_global_region: text("implicitGlobalRegion")?,
        supports_fips: flag("supportsFIPS")?,
        supports_dual_stack: flag("supportsDualStack")?,
    })
}

fn partition(value: &Value, at: &Location) -> Result<Partition, Error> {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| at.field(key).error(format!("`{key}` must be a string")))
    };
    let (id, region_regex) = (text("id")?, text("regionRegex")?);
    regex_lite::Regex::new(&region_regex).map_err(|problem| {
        at.field("regionRegex")
            .error(format!("`{region_regex}` does not compile: {problem}"))
    })?;
    let fields = value
        .get("outputs")
        .and_then(Value::as_object)
        .ok_or_else(|| at.field("outputs").error("`outputs` must be an object"))?;
    let base = outputs(fields, None, &at.field("outputs"))?;
    let mut regions = Vec::new();
    if let Some(entries) = value.get("regions").and_then(Value::as_object) {
        for (region, overrides) in entries {
            let region_at = at.field("regions").key(region);
            regions.push((
                region.clone(),
                outputs(fields, overrides.as_object(), &region_at)?,
            ));
        }
    }
    Ok(Partition {
        id,
        region_regex,
        outputs: base,
        regions,
    })
}

/// Reads the partitions data; an error names the JSON path at fault.
pub fn read(json: &str) -> Result<Vec<Partition>, Error> {
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
    partitions
        .iter()
        .enumerate()
        .map(|(index, value)| partition(value, &root.field("partitions").index(index)))
        .collect()
}
