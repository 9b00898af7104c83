//! A deterministic force-directed layout (Fruchterman and Reingold, "Graph Drawing
//! by Force-directed Placement", 1991) with a grid for the repulsion, so that a
//! picture of thousands of nodes is laid out in well under a second; groups (camps,
//! questions) are pulled together, and a last pass moves nodes apart until their
//! labels do not overlap.
//!
//! The same picture and seed give the same positions.

use super::Picture;
use crate::random::SplitMix64;
use rustc_hash::FxHashMap;

/// Average width of a label character, in picture units (12 px sans-serif).
pub const CHAR_WIDTH: f64 = 6.6;
/// Labels longer than this are cut in pictures.
pub const LABEL_CHARS: usize = 32;
/// Above this many nodes only the largest get a label drawn all the time.
pub const LABELLED_NODES: usize = 80;

/// The label as drawn: cut to [`LABEL_CHARS`].
pub fn short_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Which nodes get a label drawn: all of a small picture, the largest of a big one.
pub fn labelled(picture: &Picture) -> Vec<bool> {
    let n = picture.nodes.len();
    if n <= LABELLED_NODES {
        return vec![true; n];
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        picture.nodes[b]
            .radius
            .total_cmp(&picture.nodes[a].radius)
            .then(a.cmp(&b))
    });
    let mut out = vec![false; n];
    for &i in &order[..LABELLED_NODES] {
        out[i] = true;
    }
    out
}

/// Lays the picture out: sets every node's x and y and the picture's size.
pub fn lay_out(picture: &mut Picture, seed: u64) {
    let n = picture.nodes.len();
    if n == 0 {
        return;
    }
    // The ideal distance between neighbours grows with the nodes' size.
    let mean_radius = picture.nodes.iter().map(|x| x.radius).sum::<f64>() / n as f64;
    let k = 3.0 * mean_radius + 40.0;
    let side = k * (n as f64).sqrt() * 1.2;
    let mut rng = SplitMix64::new(seed);

    // Start: each group around its own point on a circle, the rest scattered.
    let groups = picture.groups.len().max(1) as f64;
    let mut x = vec![0.0; n];
    let mut y = vec![0.0; n];
    for (i, node) in picture.nodes.iter().enumerate() {
        let (cx, cy) = match node.group {
            Some(g) => {
                let angle = std::f64::consts::TAU * g as f64 / groups;
                (side * 0.3 * angle.cos(), side * 0.3 * angle.sin())
            }
            None => (0.0, 0.0),
        };
        x[i] = cx + (rng.unit() - 0.5) * side * 0.5;
        y[i] = cy + (rng.unit() - 0.5) * side * 0.5;
    }

    let edges: Vec<(usize, usize, f64)> = picture
        .edges
        .iter()
        .filter(|e| e.source != e.target)
        .map(|e| (e.source, e.target, 1.0 + (e.weight as f64).ln() * 0.3))
        .collect();
    let iterations = if n <= 500 { 300 } else { 120 };
    let mut temperature = side * 0.1;
    let cooling = temperature / (iterations as f64 + 1.0);
    let mut dx = vec![0.0; n];
    let mut dy = vec![0.0; n];
    let cell = 2.0 * k;
    for _ in 0..iterations {
        dx.iter_mut().for_each(|v| *v = 0.0);
        dy.iter_mut().for_each(|v| *v = 0.0);
        // Repulsion between nodes closer than two ideal distances, found by grid.
        let mut grid: FxHashMap<(i64, i64), Vec<usize>> = FxHashMap::default();
        for i in 0..n {
            grid.entry(((x[i] / cell).floor() as i64, (y[i] / cell).floor() as i64))
                .or_default()
                .push(i);
        }
        for (&(gx, gy), members) in &grid {
            for ox in -1..=1 {
                for oy in -1..=1 {
                    let Some(others) = grid.get(&(gx + ox, gy + oy)) else {
                        continue;
                    };
                    for &i in members {
                        for &j in others {
                            if j <= i {
                                continue;
                            }
                            let (mut ddx, mut ddy) = (x[i] - x[j], y[i] - y[j]);
                            let mut d2 = ddx * ddx + ddy * ddy;
                            if d2 < 1e-6 {
                                // Same place: part them in a fixed direction.
                                ddx = ((i * 7 + j) % 13) as f64 - 6.0 + 0.5;
                                ddy = ((i * 11 + j) % 17) as f64 - 8.0 + 0.5;
                                d2 = ddx * ddx + ddy * ddy;
                            }
                            if d2 > cell * cell {
                                continue;
                            }
                            let force = k * k / d2;
                            dx[i] += ddx * force;
                            dy[i] += ddy * force;
                            dx[j] -= ddx * force;
                            dy[j] -= ddy * force;
                        }
                    }
                }
            }
        }
        // Attraction along edges.
        for &(a, b, w) in &edges {
            let (ddx, ddy) = (x[a] - x[b], y[a] - y[b]);
            let d = (ddx * ddx + ddy * ddy).sqrt().max(1e-3);
            let force = d / k * w;
            dx[a] -= ddx * force;
            dy[a] -= ddy * force;
            dx[b] += ddx * force;
            dy[b] += ddy * force;
        }
        // Groups hold together; everything drifts gently to the middle.
        let mut centre: Vec<(f64, f64, f64)> = vec![(0.0, 0.0, 0.0); picture.groups.len()];
        for (i, node) in picture.nodes.iter().enumerate() {
            if let Some(g) = node.group {
                centre[g].0 += x[i];
                centre[g].1 += y[i];
                centre[g].2 += 1.0;
            }
        }
        for (i, node) in picture.nodes.iter().enumerate() {
            if let Some(g) = node.group {
                let (cx, cy, count) = centre[g];
                dx[i] += (cx / count - x[i]) * 0.05 * k / 10.0;
                dy[i] += (cy / count - y[i]) * 0.05 * k / 10.0;
            }
            dx[i] -= x[i] * 0.01;
            dy[i] -= y[i] * 0.01;
        }
        for i in 0..n {
            let d = (dx[i] * dx[i] + dy[i] * dy[i]).sqrt();
            if d > 0.0 {
                let step = d.min(temperature);
                x[i] += dx[i] / d * step;
                y[i] += dy[i] / d * step;
            }
        }
        temperature = (temperature - cooling).max(k * 0.01);
    }

    // Moving labels apart spreads groups, and moving groups apart can bring labels
    // together again: twice each.
    let shown = labelled(picture);
    for _ in 0..2 {
        separate_labels(picture, &shown, &mut x, &mut y);
        separate_groups(picture, &mut x, &mut y);
    }
    separate_labels(picture, &shown, &mut x, &mut y);

    // Into the positive quadrant, with a margin for labels and room for the title,
    // the group circles included.
    let margin = 30.0;
    let title = 40.0;
    let mut min_x = f64::INFINITY;
    let mut min_y = f64::INFINITY;
    let mut max_x = f64::NEG_INFINITY;
    let mut max_y = f64::NEG_INFINITY;
    for (i, node) in picture.nodes.iter().enumerate() {
        let half = label_width(node, shown[i]) / 2.0;
        min_x = min_x.min(x[i] - half.max(node.radius));
        max_x = max_x.max(x[i] + half.max(node.radius));
        min_y = min_y.min(y[i] - node.radius);
        max_y = max_y.max(y[i] + node.radius + 30.0);
    }
    for (i, node) in picture.nodes.iter_mut().enumerate() {
        node.x = x[i];
        node.y = y[i];
    }
    for group in &picture.groups {
        if let Some((cx, cy, r)) = group_circle(picture, group) {
            let half_label = short_label(&group.label).chars().count() as f64 * CHAR_WIDTH / 2.0;
            min_x = min_x.min(cx - r.max(half_label));
            max_x = max_x.max(cx + r.max(half_label));
            min_y = min_y.min(cy - r);
            max_y = max_y.max(cy + r);
        }
    }
    for node in picture.nodes.iter_mut() {
        node.x = (node.x - min_x + margin).round();
        node.y = (node.y - min_y + margin + title).round();
    }
    picture.width = (max_x - min_x + 2.0 * margin).ceil();
    picture.height = (max_y - min_y + 2.0 * margin + title).ceil();
}

/// The circle drawn around a group: centre and radius.
/// A group of one is not drawn.
pub fn group_circle(picture: &Picture, group: &super::Group) -> Option<(f64, f64, f64)> {
    if group.members.len() < 2 {
        return None;
    }
    let n = group.members.len() as f64;
    let cx = group
        .members
        .iter()
        .map(|&m| picture.nodes[m].x)
        .sum::<f64>()
        / n;
    let cy = group
        .members
        .iter()
        .map(|&m| picture.nodes[m].y)
        .sum::<f64>()
        / n;
    let r = group
        .members
        .iter()
        .map(|&m| {
            let node = &picture.nodes[m];
            ((node.x - cx).powi(2) + (node.y - cy).powi(2)).sqrt() + node.radius + 30.0
        })
        .fold(0.0, f64::max);
    Some((cx, cy, r))
}

/// Moves whole groups apart until the circles drawn around them do not overlap
/// (or a number of passes is reached).
fn separate_groups(picture: &Picture, x: &mut [f64], y: &mut [f64]) {
    let groups: Vec<&Vec<usize>> = picture
        .groups
        .iter()
        .map(|g| &g.members)
        .filter(|m| m.len() > 1)
        .collect();
    if groups.len() < 2 || groups.len() > 500 {
        return;
    }
    for _ in 0..100 {
        let circles: Vec<(f64, f64, f64)> = groups
            .iter()
            .map(|members| {
                let n = members.len() as f64;
                let cx = members.iter().map(|&m| x[m]).sum::<f64>() / n;
                let cy = members.iter().map(|&m| y[m]).sum::<f64>() / n;
                let r = members
                    .iter()
                    .map(|&m| {
                        ((x[m] - cx).powi(2) + (y[m] - cy).powi(2)).sqrt()
                            + picture.nodes[m].radius
                            + 30.0
                    })
                    .fold(0.0, f64::max);
                (cx, cy, r)
            })
            .collect();
        let mut moved = false;
        for i in 0..circles.len() {
            for j in i + 1..circles.len() {
                let (xi, yi, ri) = circles[i];
                let (xj, yj, rj) = circles[j];
                let (dx, dy) = (xj - xi, yj - yi);
                let d = (dx * dx + dy * dy).sqrt();
                let overlap = ri + rj + 10.0 - d;
                if overlap <= 0.0 {
                    continue;
                }
                moved = true;
                let (ux, uy) = if d > 1e-6 {
                    (dx / d, dy / d)
                } else {
                    (1.0, 0.0)
                };
                let step = overlap / 2.0;
                for &m in groups[i] {
                    x[m] -= ux * step;
                    y[m] -= uy * step;
                }
                for &m in groups[j] {
                    x[m] += ux * step;
                    y[m] += uy * step;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// Width of a node's label (two lines: name and detail), 0 when not drawn.
fn label_width(node: &super::Node, shown: bool) -> f64 {
    if !shown {
        return 0.0;
    }
    let chars = short_label(&node.label)
        .chars()
        .count()
        .max(short_label(&node.detail).chars().count());
    chars as f64 * CHAR_WIDTH
}

/// Moves nodes apart, a little at a time, until no two labelled boxes (the node
/// and its label below it) overlap, or a number of passes is reached.
fn separate_labels(picture: &Picture, shown: &[bool], x: &mut [f64], y: &mut [f64]) {
    let n = picture.nodes.len();
    let boxes: Vec<(f64, f64)> = picture
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let w = label_width(node, shown[i]).max(2.0 * node.radius) + 8.0;
            let h = 2.0 * node.radius + if shown[i] { 30.0 } else { 4.0 };
            (w, h)
        })
        .collect();
    let passes = if n <= 200 { 200 } else { 20 };
    for _ in 0..passes {
        let mut moved = false;
        // Sweep in x order: only boxes whose x ranges meet can overlap.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| (x[a] - boxes[a].0 / 2.0).total_cmp(&(x[b] - boxes[b].0 / 2.0)));
        for (p, &i) in order.iter().enumerate() {
            for &j in &order[p + 1..] {
                let overlap_x = (boxes[i].0 + boxes[j].0) / 2.0 - (x[j] - x[i]).abs();
                if x[j] - boxes[j].0 / 2.0 > x[i] + boxes[i].0 / 2.0 {
                    break;
                }
                let overlap_y = (boxes[i].1 + boxes[j].1) / 2.0 - (y[j] - y[i]).abs();
                if overlap_x > 0.0 && overlap_y > 0.0 {
                    moved = true;
                    // Push along the axis that needs less.
                    if overlap_y < overlap_x {
                        let push = overlap_y / 2.0 + 0.5;
                        let sign = if y[j] >= y[i] { 1.0 } else { -1.0 };
                        y[j] += sign * push;
                        y[i] -= sign * push;
                    } else {
                        let push = overlap_x / 2.0 + 0.5;
                        let sign = if x[j] >= x[i] { 1.0 } else { -1.0 };
                        x[j] += sign * push;
                        x[i] -= sign * push;
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
}
