//! Dependency order and cycles of a directed graph, found without recursion so that no input
//! can exhaust the stack.

/// The result of ordering a graph.
#[derive(Debug, Default)]
pub(crate) struct Ordering {
    /// Every node, each after all the nodes it depends on (cycles aside).
    pub order: Vec<usize>,
    /// Each cycle as the path of nodes that leads back to its first node; at most one cycle is
    /// reported per starting node.
    pub cycles: Vec<Vec<usize>>,
}

/// Orders the nodes `0..successors.len()` so that every node comes after its successors,
/// visiting nodes and successors in index order, and collects the cycles met on the way.
pub(crate) fn order(successors: &[Vec<usize>]) -> Ordering {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Unvisited,
        OnStack,
        Done,
    }
    let mut state = vec![State::Unvisited; successors.len()];
    let mut reported = vec![false; successors.len()];
    let mut ordering = Ordering::default();
    // Each frame: a node and the index of its next successor to visit.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..successors.len() {
        if state[root] != State::Unvisited {
            continue;
        }
        state[root] = State::OnStack;
        stack.push((root, 0));
        while let Some(frame) = stack.last_mut() {
            let node = frame.0;
            let Some(&successor) = successors[node].get(frame.1) else {
                state[node] = State::Done;
                ordering.order.push(node);
                stack.pop();
                continue;
            };
            frame.1 += 1;
            match state[successor] {
                State::Unvisited => {
                    state[successor] = State::OnStack;
                    stack.push((successor, 0));
                }
                State::OnStack if !reported[successor] => {
                    reported[successor] = true;
                    let start = stack
                        .iter()
                        .position(|&(n, _)| n == successor)
                        .expect("on stack");
                    ordering
                        .cycles
                        .push(stack[start..].iter().map(|&(n, _)| n).collect());
                }
                State::OnStack | State::Done => {}
            }
        }
    }
    ordering
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_come_first() {
        // 0 -> 1 -> 2, 0 -> 2
        let ordering = order(&[vec![1, 2], vec![2], vec![]]);
        assert_eq!(ordering.order, vec![2, 1, 0]);
        assert!(ordering.cycles.is_empty());
    }

    #[test]
    fn cycles_are_reported_once_with_their_path() {
        // 0 -> 1 -> 2 -> 0, 2 -> 2, 3 -> 1
        let ordering = order(&[vec![1], vec![2], vec![0, 2], vec![1]]);
        assert_eq!(ordering.cycles, vec![vec![0, 1, 2], vec![2]]);
        assert_eq!(ordering.order.len(), 4);
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let successors: Vec<Vec<usize>> = (0..200_000)
            .map(|n| if n + 1 < 200_000 { vec![n + 1] } else { vec![] })
            .collect();
        let ordering = order(&successors);
        assert_eq!(ordering.order.first(), Some(&199_999));
    }
}
