//! `aws.partition`: which AWS partition a region belongs to, from a table the generator renders
//! out of the partitions data.

use std::sync::OnceLock;

use regex_lite::Regex;

/// What the rules can read of a partition (`getAttr(PartitionResult, "dnsSuffix")`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`, e.g. `aws`.
    pub name: &'static str,
    /// `dnsSuffix`, e.g. `amazonaws.com`.
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`, e.g. `api.aws`.
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: &'static str,
}

/// One partition of the table: its regions (with any overridden outputs) and the pattern of
/// the region names it will add.
#[derive(Debug)]
pub struct Partition {
    /// The partition id, e.g. `aws-cn`.
    pub id: &'static str,
    /// The pattern of its region names.
    pub region_regex: &'static str,
    /// Named regions and their outputs (the partition's, with the region's overrides applied).
    pub regions: &'static [(&'static str, PartitionOutputs)],
    /// The partition's outputs.
    pub outputs: PartitionOutputs,
    /// The compiled `region_regex`.
    pub compiled: OnceLock<Regex>,
}

impl Partition {
    fn matches(&self, region: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                Regex::new(self.region_regex)
                    .expect("partition regexes are checked by the generator")
            })
            .is_match(region)
    }
}

/// The partition of `region` in the AWS partitions table (what the rules' `aws.partition`
/// returns): the region's own entry, else the partition whose region pattern matches it, else
/// the `aws` partition.
pub fn aws_partition(region: &str) -> Option<PartitionOutputs> {
    partition(&super::partitions::PARTITIONS, region)
}

/// The partition of `region`: the one that lists it, else the first whose pattern matches,
/// else `aws` (as the AWS SDKs do).
pub fn partition(table: &'static [Partition], region: &str) -> Option<PartitionOutputs> {
    for partition in table {
        if let Some((_, outputs)) = partition.regions.iter().find(|(name, _)| *name == region) {
            return Some(*outputs);
        }
    }
    table
        .iter()
        .find(|partition| partition.matches(region))
        .or_else(|| table.iter().find(|partition| partition.id == "aws"))
        .map(|partition| partition.outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_table_knows_listed_regions_patterns_and_falls_back_to_aws() {
        let china = aws_partition("cn-north-1").unwrap();
        assert_eq!(
            (china.name, china.dns_suffix),
            ("aws-cn", "amazonaws.com.cn")
        );
        let gov = aws_partition("us-gov-west-1").unwrap();
        assert_eq!(gov.name, "aws-us-gov");
        let patterned = aws_partition("eu-south-9").unwrap();
        assert_eq!(
            (patterned.name, patterned.implicit_global_region),
            ("aws", "us-east-1")
        );
        assert_eq!(aws_partition("nowhere").unwrap().name, "aws");
    }

    const AWS: PartitionOutputs = PartitionOutputs {
        name: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    };
    const CN: PartitionOutputs = PartitionOutputs {
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "cn-northwest-1",
    };
    static TABLE: [Partition; 2] = [
        Partition {
            id: "aws",
            region_regex: "^(us|eu|ap|sa|ca|me|af)-\\w+-\\d+$",
            regions: &[("us-west-2", AWS)],
            outputs: AWS,
            compiled: OnceLock::new(),
        },
        Partition {
            id: "aws-cn",
            region_regex: "^cn\\-\\w+\\-\\d+$",
            regions: &[("cn-north-1", CN)],
            outputs: CN,
            compiled: OnceLock::new(),
        },
    ];

    #[test]
    fn named_regions_then_patterns_then_aws() {
        assert_eq!(partition(&TABLE, "us-west-2").unwrap().name, "aws");
        assert_eq!(partition(&TABLE, "cn-south-9").unwrap().name, "aws-cn");
        assert_eq!(partition(&TABLE, "mars-east-1").unwrap().name, "aws");
    }
}
