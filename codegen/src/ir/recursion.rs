//! Finds members that close a cycle of structures and unions, which Rust must box.

use super::{DataKind, DataShape, Member, Target};

/// Sets `boxed` on every structure or union member whose target lies on a cycle with its owner
/// through structure/union members only (lists and maps already put values on the heap).
pub(crate) fn mark_boxed(shapes: &mut [DataShape]) {
    let edges: Vec<Vec<usize>> = shapes
        .iter()
        .map(|shape| direct_targets(shape, shapes))
        .collect();
    let component = strongly_connected_components(&edges);
    for owner in 0..shapes.len() {
        let owner_component = component[owner];
        if let DataKind::Structure(members) | DataKind::Union(members) = &mut shapes[owner].kind {
            for member in members {
                if let Target::Shape(target) = member.target {
                    let cyclic =
                        component[target.0] == owner_component && edges[owner].contains(&target.0);
                    member.boxed = cyclic;
                }
            }
        }
    }
}

fn is_aggregate(shape: &DataShape) -> bool {
    matches!(shape.kind, DataKind::Structure(_) | DataKind::Union(_))
}

fn direct_targets(shape: &DataShape, shapes: &[DataShape]) -> Vec<usize> {
    match &shape.kind {
        DataKind::Structure(members) | DataKind::Union(members) => members
            .iter()
            .filter_map(|member| match member.target {
                Target::Shape(target) if is_aggregate(&shapes[target.0]) => Some(target.0),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative: the component number of each node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = edges.len();
    let mut index = vec![UNVISITED; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; count];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index[root] != UNVISITED {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == UNVISITED {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Sets a flag (`is_set` reads it, `set` sets it) on every shape whose values hold a member
/// for which `own` holds, directly or through the shapes its members target (cycles included).
pub(crate) fn mark_reaching(
    shapes: &mut [DataShape],
    own: fn(&Member) -> bool,
    is_set: fn(&DataShape) -> bool,
    set: fn(&mut DataShape),
) {
    loop {
        let mut changed = false;
        for index in 0..shapes.len() {
            // An event stream's events are not checked before they are sent.
            if is_set(&shapes[index]) || shapes[index].event_stream {
                continue;
            }
            let reaches = |member: &Member| {
                own(member)
                    || matches!(member.target, Target::Shape(target) if is_set(&shapes[target.0]))
            };
            let found = match &shapes[index].kind {
                DataKind::Structure(members) | DataKind::Union(members) => {
                    members.iter().any(reaches)
                }
                DataKind::List { member, .. } => reaches(member),
                DataKind::Map { key, value, .. } => reaches(key) || reaches(value),
                DataKind::Alias { .. } | DataKind::Enum(_) | DataKind::IntEnum(_) => false,
            };
            if found {
                set(&mut shapes[index]);
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::strongly_connected_components;

    #[test]
    fn finds_cycles_and_self_loops() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 3 loops; 4 -> 0 is outside any cycle.
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let component = strongly_connected_components(&edges);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[3], component[0]);
        assert_ne!(component[4], component[0]);
    }
}
