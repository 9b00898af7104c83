//! Reading a picture out of the store: sources or statements, the edges between
//! them, scores, and the filters of [`Options`].

use super::{
    Edge, EdgeKind, Group, Node, NodeKind, Options, Picture, View, NODE_COLOURS, PLAIN_COLOUR,
};
use crate::error::{Error, Result};
use crate::internal_queries::{
    VIZ_DEPENDENCES, VIZ_INSTITUTIONS, VIZ_LABELS, VIZ_POSTS, VIZ_REPORTED_IN, VIZ_REPORTING_CHAIN,
    VIZ_SOURCE_PAIRS, VIZ_SOURCE_SCORES, VIZ_STATEMENTS, VIZ_STATEMENT_PAIRS, VIZ_STATEMENT_SCORES,
};
use crate::resolve::{self, EntityKind};
use crate::store::CaseStore;
use crate::vocab;
use oxigraph::model::{Literal, Term};
use petgraph::unionfind::UnionFind;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// At most this many statements are listed in a source's hover details.
const LISTED_STATEMENTS: usize = 8;

/// A statement as the pictures need it.
struct Statement {
    iri: String,
    source: String,
    label: String,
    question: Option<String>,
    proposition: Option<String>,
    asserted: Option<bool>,
    date: Option<String>,
}

fn text(row: &[Option<String>], i: usize) -> Option<String> {
    row.get(i).cloned().flatten()
}

/// The statements that pass the question and date filters.
fn read_statements(store: &CaseStore, options: &Options) -> Result<Vec<Statement>> {
    if !store.has_statements()? {
        return Err(Error::invalid(
            "the store holds no statements to draw; load a case (credgraph load data/) or import a claim table first",
        ));
    }
    let question: Option<Term> = match &options.question {
        Some(name) => Some(resolve::entity(store, EntityKind::Question, name)?.into()),
        None => None,
    };
    // The dates are compared as text, as they are written.
    let day = |day: &Option<String>| -> Option<Term> {
        day.as_deref()
            .map(|day| Literal::new_simple_literal(day).into())
    };
    let (from, to) = (day(&options.from), day(&options.to));
    let params = [
        ("question", question.as_slice()),
        ("from", from.as_slice()),
        ("to", to.as_slice()),
    ];
    let mut seen = FxHashSet::default();
    let mut out = Vec::new();
    for row in VIZ_STATEMENTS.rows(store, &params, 7)? {
        let (Some(iri), Some(source)) = (text(&row, 0), text(&row, 1)) else {
            continue;
        };
        if !seen.insert(iri.clone()) {
            continue;
        }
        let asserted = text(&row, 5).map(|p| p == vocab::cg::ASSERTION.as_str());
        out.push(Statement {
            label: text(&row, 2).unwrap_or_else(|| short_name(&iri)),
            iri,
            source,
            question: text(&row, 3),
            proposition: text(&row, 4),
            asserted,
            date: text(&row, 6),
        });
    }
    out.sort_by(|a, b| a.iri.cmp(&b.iri));
    Ok(out)
}

/// The last segment of an IRI, for things without a label.
fn short_name(iri: &str) -> String {
    iri.rsplit(['/', '#', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(iri)
        .to_string()
}

/// Labels of IRIs (the first label of each).
fn labels(store: &CaseStore) -> Result<FxHashMap<String, String>> {
    let mut out = FxHashMap::default();
    for row in VIZ_LABELS.rows(store, &[], 2)? {
        if let (Some(x), Some(l)) = (text(&row, 0), text(&row, 1)) {
            out.entry(x).or_insert(l);
        }
    }
    Ok(out)
}

/// Pairs of statements that agree or contradict, each pair once (smaller IRI first).
fn statement_pairs(store: &CaseStore) -> Result<BTreeMap<(String, String), EdgeKind>> {
    let mut out = BTreeMap::new();
    for row in VIZ_STATEMENT_PAIRS.rows(store, &[], 3)? {
        let (Some(a), Some(b), Some(kind)) = (text(&row, 0), text(&row, 1), text(&row, 2)) else {
            continue;
        };
        let kind = if kind == "agree" {
            EdgeKind::Agree
        } else {
            EdgeKind::Contradict
        };
        let key = if a < b { (a, b) } else { (b, a) };
        out.insert(key, kind);
    }
    Ok(out)
}

/// Pairs of sources that depend on each other, both orders.
fn dependences(store: &CaseStore) -> Result<FxHashSet<(String, String)>> {
    let mut out = FxHashSet::default();
    for row in VIZ_DEPENDENCES.rows(store, &[], 2)? {
        if let (Some(a), Some(b)) = (text(&row, 0), text(&row, 1)) {
            out.insert((b.clone(), a.clone()));
            out.insert((a, b));
        }
    }
    Ok(out)
}

/// Colours for the most common names first; the rest share the last colour.
fn colours_for(names: &[Option<String>]) -> (Vec<&'static str>, Vec<(String, &'static str)>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names.iter().flatten() {
        *counts.entry(name).or_default() += 1;
    }
    let mut order: Vec<(&str, usize)> = counts.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let last = NODE_COLOURS.len() - 1;
    let mut colour_of: FxHashMap<&str, &'static str> = FxHashMap::default();
    let mut legend = Vec::new();
    for (i, (name, _)) in order.iter().enumerate() {
        let colour = NODE_COLOURS[i.min(last)];
        colour_of.insert(name, colour);
        if i < last {
            legend.push((name.to_string(), colour));
        } else if i == last {
            let others = order.len() - last;
            legend.push((
                if others == 1 {
                    name.to_string()
                } else {
                    format!("{others} others")
                },
                colour,
            ));
        }
    }
    let colours = names
        .iter()
        .map(|name| {
            name.as_deref()
                .and_then(|n| colour_of.get(n).copied())
                .unwrap_or(PLAIN_COLOUR)
        })
        .collect();
    (colours, legend)
}

/// Each source's score and grade by one method, from the scores graph.
fn source_scores(store: &CaseStore, method: &str) -> Result<FxHashMap<String, (f64, String)>> {
    let method = [Literal::new_simple_literal(method).into()];
    let mut out = FxHashMap::default();
    for row in VIZ_SOURCE_SCORES.rows(store, &[("method", &method)], 3)? {
        if let (Some(s), Some(v), Some(g)) = (text(&row, 0), text(&row, 1), text(&row, 2)) {
            if let Ok(v) = v.parse::<f64>() {
                out.insert(s, (v, g));
            }
        }
    }
    Ok(out)
}

/// The source view.
pub fn sources(store: &CaseStore, options: &Options) -> Result<Picture> {
    let statements = read_statements(store, options)?;
    let labels = labels(store)?;
    let filtered = options.question.is_some() || options.from.is_some() || options.to.is_some();

    // Sources in order of first appearance, sorted by IRI.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for s in &statements {
        let next = index.len();
        index.entry(s.source.clone()).or_insert(next);
    }
    let sources: Vec<String> = {
        let mut v: Vec<String> = index.keys().cloned().collect();
        v.sort();
        v
    };
    let index: FxHashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();

    // Institutions and posts.
    let mut institution: FxHashMap<String, String> = FxHashMap::default();
    for row in VIZ_INSTITUTIONS.rows(store, &[], 2)? {
        if let (Some(s), Some(i)) = (text(&row, 0), text(&row, 1)) {
            let name = labels.get(&i).cloned().unwrap_or_else(|| short_name(&i));
            let entry = institution.entry(s).or_insert(name.clone());
            if name < *entry {
                *entry = name;
            }
        }
    }
    let mut posts: FxHashMap<String, BTreeMap<String, usize>> = FxHashMap::default();
    for row in VIZ_POSTS.rows(store, &[], 2)? {
        if let (Some(s), Some(l)) = (text(&row, 0), text(&row, 1)) {
            *posts.entry(s).or_default().entry(l).or_default() += 1;
        }
    }

    // The questions, numbered from 1, and each statement's (question, date).
    let (questions, statement_keys) = question_keys(&statements, &labels);

    // Edges.
    let dependent = dependences(store)?;
    let mut agree: BTreeMap<(usize, usize), (usize, bool)> = BTreeMap::new();
    let mut contradict: BTreeMap<(usize, usize), (usize, bool)> = BTreeMap::new();
    // The statement pairs behind each edge, for the page's filters.
    let mut details: FxHashMap<(usize, usize, bool), Vec<[u32; 3]>> = FxHashMap::default();
    let kept: FxHashMap<&str, usize> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.iri.as_str(), i))
        .collect();
    // Without filters the source pairs give the edges: the statement pairs are
    // read only for the page's details.
    let pairs = if filtered || options.pair_details {
        statement_pairs(store)?
    } else {
        BTreeMap::new()
    };
    for ((a, b), kind) in pairs {
        let (Some(&a), Some(&b)) = (kept.get(a.as_str()), kept.get(b.as_str())) else {
            continue;
        };
        let (sa, sb) = (statements[a].source.as_str(), statements[b].source.as_str());
        if sa == sb {
            continue;
        }
        let (ia, ib) = (index[sa], index[sb]);
        let key = (ia.min(ib), ia.max(ib));
        let [question, day_a] = statement_keys[a];
        let day_b = statement_keys[b][1];
        details
            .entry((key.0, key.1, kind == EdgeKind::Agree))
            .or_default()
            .push([question, day_a.min(day_b), day_a.max(day_b)]);
        if filtered {
            let is_dependent = dependent.contains(&(sa.to_string(), sb.to_string()));
            let map = if kind == EdgeKind::Agree {
                &mut agree
            } else {
                &mut contradict
            };
            let entry = map.entry(key).or_insert((0, is_dependent));
            entry.0 += 1;
        }
    }
    if !filtered {
        // One pattern per property, joined here (see viz-source-pairs.rq).
        #[derive(Default)]
        struct Pair {
            a: Option<String>,
            b: Option<String>,
            counts: [usize; 3],
            independent: Option<bool>,
        }
        let mut pairs: FxHashMap<String, Pair> = FxHashMap::default();
        for row in VIZ_SOURCE_PAIRS.rows(store, &[], 3)? {
            let (Some(pair), Some(k), Some(v)) = (text(&row, 0), text(&row, 1), text(&row, 2))
            else {
                continue;
            };
            let entry = pairs.entry(pair).or_default();
            match k.as_str() {
                "0" => entry.a = Some(v),
                "1" => entry.b = Some(v),
                "5" => entry.independent = Some(v == "true"),
                k => {
                    let slot = k.parse::<usize>().unwrap_or(2).saturating_sub(2).min(2);
                    entry.counts[slot] = v.parse().unwrap_or(0);
                }
            }
        }
        for pair in pairs.into_values() {
            let (Some(a), Some(b)) = (pair.a, pair.b) else {
                continue;
            };
            let (Some(&ia), Some(&ib)) = (index.get(a.as_str()), index.get(b.as_str())) else {
                continue;
            };
            let is_dependent =
                pair.independent == Some(false) || dependent.contains(&(a.clone(), b.clone()));
            let key = (ia.min(ib), ia.max(ib));
            let agreements = pair.counts[0] + pair.counts[1];
            if agreements > 0 {
                agree.insert(key, (agreements, is_dependent));
            }
            if pair.counts[2] > 0 {
                contradict.insert(key, (pair.counts[2], is_dependent));
            }
        }
    }
    let mut edges = Vec::new();
    for (kind, map) in [
        (EdgeKind::Agree, &agree),
        (EdgeKind::Contradict, &contradict),
    ] {
        for (&(a, b), &(weight, dependent)) in map {
            if weight < options.min_weight {
                continue;
            }
            if options.independent_only && (kind != EdgeKind::Agree || dependent) {
                continue;
            }
            edges.push(Edge {
                source: a,
                target: b,
                kind,
                weight,
                dependent,
                pairs: details
                    .remove(&(a, b, kind == EdgeKind::Agree))
                    .unwrap_or_default(),
            });
        }
    }

    // Focus: the source and its neighbours.
    let mut keep: Vec<bool> = vec![true; sources.len()];
    if let Some(focus) = &options.focus {
        let node = resolve::entity(store, EntityKind::Source, focus)?;
        let Some(&centre) = index.get(node.as_str()) else {
            return Err(Error::invalid(format!(
                "{focus} makes no statement the filters keep; nothing to draw around it"
            )));
        };
        keep = vec![false; sources.len()];
        keep[centre] = true;
        for e in &edges {
            if e.source == centre {
                keep[e.target] = true;
            }
            if e.target == centre {
                keep[e.source] = true;
            }
        }
    }
    let mut statements_of: Vec<Vec<&Statement>> = vec![Vec::new(); sources.len()];
    let mut keys_of: Vec<Vec<[u32; 2]>> = vec![Vec::new(); sources.len()];
    for (s, key) in statements.iter().zip(&statement_keys) {
        statements_of[index[s.source.as_str()]].push(s);
        keys_of[index[s.source.as_str()]].push(*key);
    }

    let scores = source_scores(store, &options.method)?;
    let sized_by = if scores.is_empty() {
        "statements"
    } else {
        "credibility"
    };
    let names: Vec<Option<String>> = sources
        .iter()
        .map(|s| institution.get(s).cloned())
        .collect();
    let (colours, legend) = colours_for(
        &names
            .iter()
            .zip(&keep)
            .map(|(n, &k)| if k { n.clone() } else { None })
            .collect::<Vec<_>>(),
    );

    let mut renumber = vec![usize::MAX; sources.len()];
    let mut nodes = Vec::new();
    for (i, iri) in sources.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        renumber[i] = nodes.len();
        let score = scores.get(iri);
        let count = statements_of[i].len();
        let radius = match (sized_by, score) {
            ("credibility", Some((v, _))) => 8.0 + 22.0 * v.clamp(0.0, 1.0),
            ("credibility", None) => 8.0,
            _ => 8.0 + 6.0 * (count as f64).sqrt(),
        };
        let detail = posts
            .get(iri)
            .and_then(|p| p.iter().max_by_key(|(_, n)| **n).map(|(l, _)| l.clone()))
            .unwrap_or_default();
        let mut lines: Vec<String> = statements_of[i]
            .iter()
            .take(LISTED_STATEMENTS)
            .map(|s| s.label.clone())
            .collect();
        if count > LISTED_STATEMENTS {
            lines.push(format!("and {} more", count - LISTED_STATEMENTS));
        }
        nodes.push(Node {
            id: iri.clone(),
            label: labels.get(iri).cloned().unwrap_or_else(|| short_name(iri)),
            detail,
            kind: NodeKind::Source,
            institution: names[i].clone(),
            colour: colours[i],
            radius,
            credibility: score.map(|s| s.0),
            grade: score.map(|s| s.1.clone()),
            statements: count,
            group: None,
            lines,
            keys: std::mem::take(&mut keys_of[i]),
            x: 0.0,
            y: 0.0,
        });
    }
    let edges: Vec<Edge> = edges
        .into_iter()
        .filter(|e| keep[e.source] && keep[e.target])
        .map(|e| Edge {
            source: renumber[e.source],
            target: renumber[e.target],
            ..e
        })
        .collect();
    let groups = camps(&mut nodes, &edges);
    let title = match &options.focus {
        Some(focus) => format!("Who agrees and disagrees with {focus}"),
        None => "Who agrees and disagrees with whom".into(),
    };
    Ok(Picture {
        title,
        view: View::Sources,
        nodes,
        edges,
        groups,
        colours: legend,
        sized_by,
        questions,
        width: 0.0,
        height: 0.0,
    })
}

/// The questions of the statements, by label, numbered from 1; and each
/// statement's (question number, date as YYYYMMDD), 0 where it has none.
fn question_keys(
    statements: &[Statement],
    labels: &FxHashMap<String, String>,
) -> (Vec<String>, Vec<[u32; 2]>) {
    let label = |q: &String| labels.get(q).cloned().unwrap_or_else(|| short_name(q));
    let names: std::collections::BTreeSet<String> = statements
        .iter()
        .filter_map(|s| s.question.as_ref())
        .map(label)
        .collect();
    let questions: Vec<String> = names.into_iter().collect();
    let number: FxHashMap<&str, u32> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.as_str(), i as u32 + 1))
        .collect();
    let keys = statements
        .iter()
        .map(|s| {
            let q = s
                .question
                .as_ref()
                .map(|q| number.get(label(q).as_str()).copied().unwrap_or(0))
                .unwrap_or(0);
            [q, s.date.as_deref().map_or(0, super::day_number)]
        })
        .collect();
    (questions, keys)
}

/// Camps: sources joined by agreement that is not outweighed by contradiction
/// between the same two, as connected components (petgraph's union-find). Only
/// camps of two or more are drawn.
fn camps(nodes: &mut [Node], edges: &[Edge]) -> Vec<Group> {
    let mut contradictions: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for e in edges.iter().filter(|e| e.kind == EdgeKind::Contradict) {
        contradictions.insert((e.source, e.target), e.weight);
    }
    let mut sets = UnionFind::<usize>::new(nodes.len());
    for e in edges.iter().filter(|e| e.kind == EdgeKind::Agree) {
        let against = contradictions
            .get(&(e.source, e.target))
            .copied()
            .unwrap_or(0);
        if e.weight > against {
            sets.union(e.source, e.target);
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..nodes.len() {
        members.entry(sets.find(i)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    groups
        .into_iter()
        .enumerate()
        .map(|(g, members)| {
            for &m in &members {
                nodes[m].group = Some(g);
            }
            Group {
                label: format!("camp {}", g + 1),
                members,
            }
        })
        .collect()
}

/// The statement view: statements grouped by question, agreement and contradiction
/// between them, and the reporting chain (outlet, document, the document it
/// derives from, statement) as grey arrows.
pub fn statements(store: &CaseStore, options: &Options) -> Result<Picture> {
    let mut statements = read_statements(store, options)?;
    let labels = labels(store)?;
    let dependent = dependences(store)?;
    let pairs = statement_pairs(store)?;
    if let Some(focus) = &options.focus {
        let node = resolve::entity(store, EntityKind::Source, focus)?;
        let own: FxHashSet<&str> = statements
            .iter()
            .filter(|s| s.source == node.as_str())
            .map(|s| s.iri.as_str())
            .collect();
        if own.is_empty() {
            return Err(Error::invalid(format!(
                "{focus} makes no statement the filters keep; nothing to draw around it"
            )));
        }
        let mut near: FxHashSet<String> = own.iter().map(|s| s.to_string()).collect();
        for (a, b) in pairs.keys() {
            if own.contains(a.as_str()) {
                near.insert(b.clone());
            }
            if own.contains(b.as_str()) {
                near.insert(a.clone());
            }
        }
        statements.retain(|s| near.contains(&s.iri));
    }
    // Grouped by question, in order of question label.
    let question_label = |s: &Statement| {
        s.question
            .as_ref()
            .map(|q| labels.get(q).cloned().unwrap_or_else(|| short_name(q)))
    };
    statements.sort_by(|a, b| {
        question_label(a)
            .cmp(&question_label(b))
            .then(a.iri.cmp(&b.iri))
    });
    let questions: Vec<Option<String>> = statements.iter().map(question_label).collect();
    let (colours, legend) = colours_for(&questions);
    let (numbered, statement_keys) = question_keys(&statements, &labels);
    let scores = statement_scores(store, &options.method)?;

    let mut nodes = Vec::new();
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: BTreeMap<String, usize> = BTreeMap::new();
    for (s, question) in statements.iter().zip(&questions) {
        let score = match (&s.proposition, s.asserted) {
            (Some(p), Some(asserted)) => scores.get(&(p.clone(), asserted)),
            _ => None,
        };
        let group = question.as_ref().map(|q| {
            let next = groups.len();
            let g = *group_of.entry(q.clone()).or_insert(next);
            if g == next {
                groups.push(Group {
                    label: q.clone(),
                    members: Vec::new(),
                });
            }
            groups[g].members.push(nodes.len());
            g
        });
        index.insert(s.iri.clone(), nodes.len());
        let speaker = labels
            .get(&s.source)
            .cloned()
            .unwrap_or_else(|| short_name(&s.source));
        nodes.push(Node {
            id: s.iri.clone(),
            label: s.label.clone(),
            detail: speaker,
            kind: NodeKind::Statement,
            institution: question.clone(),
            colour: colours[nodes.len()],
            radius: 7.0 + 10.0 * score.map_or(0.3, |s| s.0),
            credibility: score.map(|s| s.0),
            grade: score.map(|s| s.1.clone()),
            statements: 1,
            group,
            lines: question.iter().map(|q| format!("on: {q}")).collect(),
            keys: vec![statement_keys[nodes.len()]],
            x: 0.0,
            y: 0.0,
        });
    }
    let source_of: FxHashMap<&str, &str> = statements
        .iter()
        .map(|s| (s.iri.as_str(), s.source.as_str()))
        .collect();
    let mut edges = Vec::new();
    for ((a, b), &kind) in &pairs {
        let (Some(&ia), Some(&ib)) = (index.get(a), index.get(b)) else {
            continue;
        };
        let is_dependent = dependent.contains(&(
            source_of[a.as_str()].to_string(),
            source_of[b.as_str()].to_string(),
        ));
        if options.independent_only && (kind != EdgeKind::Agree || is_dependent) {
            continue;
        }
        let ([question, day_a], day_b) = (nodes[ia].keys[0], nodes[ib].keys[0][1]);
        edges.push(Edge {
            source: ia,
            target: ib,
            kind,
            weight: 1,
            dependent: is_dependent,
            pairs: vec![[question, day_a.min(day_b), day_a.max(day_b)]],
        });
    }
    reporting_chain(
        store,
        &labels,
        &statements,
        &mut nodes,
        &mut index,
        &mut edges,
    )?;
    Ok(Picture {
        title: match &options.focus {
            Some(focus) => format!("Statements around {focus}, by question"),
            None => "Statements by question".into(),
        },
        view: View::Statements,
        nodes,
        edges,
        groups,
        colours: legend,
        sized_by: "belief",
        questions: numbered,
        width: 0.0,
        height: 0.0,
    })
}

/// Adds documents and outlets with grey arrows: outlet to the document it
/// published, a document to the one it derives from, and to each statement the
/// document that records its speaker (else the one that reports it).
fn reporting_chain(
    store: &CaseStore,
    labels: &FxHashMap<String, String>,
    statements: &[Statement],
    nodes: &mut Vec<Node>,
    index: &mut FxHashMap<String, usize>,
    edges: &mut Vec<Edge>,
) -> Result<()> {
    let reported: Vec<(String, String)> = VIZ_REPORTED_IN
        .rows(store, &[], 2)?
        .into_iter()
        .filter_map(|r| Some((text(&r, 0)?, text(&r, 1)?)))
        .filter(|(st, _)| index.contains_key(st))
        .collect();
    if reported.is_empty() {
        return Ok(());
    }
    let mut published: FxHashMap<String, String> = FxHashMap::default();
    let mut derived: FxHashMap<String, Vec<String>> = FxHashMap::default();
    let mut records: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for row in VIZ_REPORTING_CHAIN.rows(store, &[], 3)? {
        let (Some(d), Some(kind), Some(o)) = (text(&row, 0), text(&row, 1), text(&row, 2)) else {
            continue;
        };
        match kind.as_str() {
            "published" => {
                published.entry(d).or_insert(o);
            }
            "derived" => derived.entry(d).or_default().push(o),
            _ => records.entry(d).or_default().push(o),
        }
    }
    let source_of: FxHashMap<&str, &str> = statements
        .iter()
        .map(|s| (s.iri.as_str(), s.source.as_str()))
        .collect();
    let node_for = |iri: &str,
                    kind: NodeKind,
                    nodes: &mut Vec<Node>,
                    index: &mut FxHashMap<String, usize>|
     -> usize {
        if let Some(&i) = index.get(iri) {
            return i;
        }
        index.insert(iri.to_string(), nodes.len());
        nodes.push(Node {
            id: iri.to_string(),
            label: labels.get(iri).cloned().unwrap_or_else(|| short_name(iri)),
            detail: kind.name().to_string(),
            kind,
            institution: None,
            colour: PLAIN_COLOUR,
            radius: 6.0,
            credibility: None,
            grade: None,
            statements: 0,
            group: None,
            lines: Vec::new(),
            keys: Vec::new(),
            x: 0.0,
            y: 0.0,
        });
        nodes.len() - 1
    };
    let mut arrows: FxHashSet<(usize, usize)> = FxHashSet::default();
    let mut documents: Vec<String> = Vec::new();
    for (statement, document) in &reported {
        let speaker = source_of[statement.as_str()];
        // The document the report derives from that records the speaker, if any.
        let recording = derived.get(document).and_then(|sources| {
            sources.iter().find(|d| {
                records
                    .get(*d)
                    .is_some_and(|r| r.iter().any(|p| p == speaker))
            })
        });
        let from = recording.unwrap_or(document);
        let d = node_for(from, NodeKind::Document, nodes, index);
        arrows.insert((d, index[statement]));
        documents.push(document.clone());
        documents.push(from.clone());
    }
    documents.sort();
    documents.dedup();
    for document in &documents {
        let d = node_for(document, NodeKind::Document, nodes, index);
        if let Some(outlet) = published.get(document) {
            let o = node_for(outlet, NodeKind::Outlet, nodes, index);
            arrows.insert((o, d));
        }
        for source in derived.get(document).into_iter().flatten() {
            if documents.binary_search(source).is_ok() {
                let s = node_for(source, NodeKind::Document, nodes, index);
                arrows.insert((d, s));
            }
        }
    }
    let mut arrows: Vec<(usize, usize)> = arrows.into_iter().collect();
    arrows.sort();
    for (a, b) in arrows {
        edges.push(Edge {
            source: a,
            target: b,
            kind: EdgeKind::Reports,
            weight: 1,
            dependent: false,
            pairs: Vec::new(),
        });
    }
    Ok(())
}

/// Each (proposition, polarity)'s belief and credibility grade by one method.
fn statement_scores(
    store: &CaseStore,
    method: &str,
) -> Result<FxHashMap<(String, bool), (f64, String)>> {
    let method = [Literal::new_simple_literal(method).into()];
    let mut out = FxHashMap::default();
    for row in VIZ_STATEMENT_SCORES.rows(store, &[("method", &method)], 4)? {
        if let (Some(p), Some(pol), Some(v), Some(g)) =
            (text(&row, 0), text(&row, 1), text(&row, 2), text(&row, 3))
        {
            if let Ok(v) = v.parse::<f64>() {
                out.insert((p, pol == vocab::cg::ASSERTION.as_str()), (v, g));
            }
        }
    }
    Ok(out)
}
