//! `credgraph extract` and `import SHEET` through the binary: the seed article's
//! hand-modelled statements are proposed with their speakers, the gold set written
//! for these tests is attributed, a reviewed sheet loads and validates, and bad
//! input is refused with its position and without touching the store.

mod common;

use common::{credgraph, dump, seed_data, seeded_store, sparql, store_path};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SEED_ARTICLE: &str = "2022-12-24-belarus-threat.txt";
const SEED_OUTLET: &str = "Outlet of the 2022-12-24 Belarus brief (not named in the text)";

fn gold_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/extract-gold")
}

/// The written articles of the gold set, in order of their names.
fn written_articles() -> Vec<PathBuf> {
    let mut articles: Vec<PathBuf> = std::fs::read_dir(gold_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    articles.sort();
    articles
}

fn normalize(text: &str) -> String {
    text.replace(['“', '”', '«', '»'], "\"")
        .replace(['’', 'ʼ', '‘'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn extract_json(db: &Path, args: &[&str]) -> Value {
    let output = credgraph(db)
        .arg("extract")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).expect("the sheet as JSON")
}

fn expand(prefixed: &str) -> String {
    credgraph::vocab::expand(prefixed).unwrap_or_else(|| prefixed.to_string())
}

/// Every statement modelled by hand in data/ for the seed article is proposed with
/// the same speaker (linked to the store's IRI, the outlet's reports to the outlet)
/// and the same quote-or-paraphrase reading.
#[test]
fn the_seed_articles_hand_modelled_statements_are_all_proposed() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let article = seed_data().join(SEED_ARTICLE);
    let sheet = extract_json(&db, &[article.to_str().unwrap(), "--outlet", SEED_OUTLET]);
    let proposals = sheet["statements"].as_array().unwrap();
    let article_text = std::fs::read_to_string(&article).unwrap();
    let chars: Vec<char> = article_text.chars().collect();
    let hand = sparql(
        &db,
        "PREFIX cg: <https://w3id.org/credgraph/ns#>
         SELECT ?statement ?speaker ?quote ?text WHERE {
           ?statement a cg:Statement ; cg:statedBy ?speaker ; cg:isDirectQuote ?quote ;
             cg:text ?text ; cg:reportedIn <https://w3id.org/credgraph/id/document/2022-12-24-belarus-threat-brief> .
         }",
    );
    assert_eq!(hand.len(), 16, "the seed models 16 statements");
    for statement in &hand {
        let words: Vec<&str> = statement["text"].split_whitespace().collect();
        let from = 2.min(words.len().saturating_sub(5));
        let window = normalize(&words[from..(from + 6).min(words.len())].join(" "));
        let matching: Vec<&Value> = proposals
            .iter()
            .filter(|p| normalize(p["text"].as_str().unwrap()).contains(&window))
            .collect();
        assert!(
            !matching.is_empty(),
            "no proposal holds {window:?} of {}",
            statement["statement"]
        );
        let right = matching.iter().any(|p| {
            expand(p["speaker_iri"].as_str().unwrap_or_default()) == statement["speaker"]
                && (p["how"] == "quote") == (statement["quote"] == "true")
        });
        assert!(
            right,
            "{}: wanted {} ({}), proposed {:?}",
            statement["statement"],
            statement["speaker"],
            if statement["quote"] == "true" {
                "quote"
            } else {
                "paraphrase"
            },
            matching
                .iter()
                .map(|p| format!("{} / {}", p["speaker_iri"], p["how"]))
                .collect::<Vec<_>>()
        );
    }
    // Every span points at the words it claims, in characters.
    for p in proposals {
        let (start, end) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        let span: String = chars[start..end].iter().collect();
        let first_words: String = p["text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            normalize(&span).contains(&normalize(&first_words)),
            "span {start}..{end} is {span:?}, text {:?}",
            p["text"]
        );
    }
    // The outlet is linked to the store's node rather than minted again.
    assert_eq!(
        sheet["article"]["outlet_iri"],
        "organization:outlet-of-the-2022-12-24-brief"
    );
}

/// The articles written for these tests (tests/extract-gold/): the speaker of each
/// gold row is found, and a speaker given is the right one.
#[test]
fn the_written_gold_set_is_attributed() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let mut rows = 0;
    let mut found = 0;
    let mut attributed = 0;
    let mut right = 0;
    let mut quotes = 0;
    let mut quotes_with_speaker = 0;
    let mut misses = Vec::new();
    let articles = written_articles();
    assert!(articles.len() >= 10, "at least ten written articles");
    for article in &articles {
        let gold = article.with_extension("gold.tsv");
        let sheet = extract_json(&db, &[article.to_str().unwrap()]);
        let proposals = sheet["statements"].as_array().unwrap();
        for line in std::fs::read_to_string(&gold).unwrap().lines().skip(1) {
            let cells: Vec<&str> = line.split('\t').collect();
            let (speaker, how, snippet) = (cells[0], cells[1], normalize(cells[3]));
            rows += 1;
            let matching: Vec<&Value> = proposals
                .iter()
                .filter(|p| normalize(p["text"].as_str().unwrap()).contains(&snippet))
                .collect();
            let is_right = |p: &&Value| {
                if speaker == "OUTLET" {
                    return p["speaker_kind"] == "outlet";
                }
                let surname = |name: &str| {
                    normalize(name)
                        .replace('"', "")
                        .split_whitespace()
                        .last()
                        .unwrap_or_default()
                        .to_string()
                };
                surname(p["speaker"].as_str().unwrap_or_default()) == surname(speaker)
            };
            if how == "quote" {
                quotes += 1;
                if matching.iter().any(|p| p["speaker_kind"] != "unknown") {
                    quotes_with_speaker += 1;
                }
            }
            if !matching.is_empty() {
                found += 1;
            }
            if let Some(p) = matching.iter().find(|p| p["speaker_kind"] != "unknown") {
                attributed += 1;
                if matching.iter().any(is_right) {
                    right += 1;
                } else {
                    misses.push(format!(
                        "{}: {speaker} said {snippet:?}; proposed {}",
                        article.display(),
                        p["speaker"]
                    ));
                }
            }
        }
    }
    let precision = right as f64 / attributed as f64;
    let recall = found as f64 / rows as f64;
    let coverage = quotes_with_speaker as f64 / quotes as f64;
    assert!(rows >= 100, "{rows} gold rows");
    assert!(recall >= 0.95, "{found} of {rows} gold statements proposed");
    assert!(
        precision >= 0.95,
        "speaker precision {precision:.3}: {misses:#?}"
    );
    assert!(
        coverage >= 0.9,
        "{quotes_with_speaker} of {quotes} quotes have a speaker"
    );
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// A store that knows the seed's people and posts, but not its statements.
fn entities_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    credgraph(&store_path(&dir))
        .arg("load")
        .arg(seed_data().join("entities.ttl"))
        .assert()
        .success();
    dir
}

fn count_statements(db: &Path) -> usize {
    sparql(
        db,
        "PREFIX cg: <https://w3id.org/credgraph/ns#> SELECT (COUNT(?s) AS ?n) WHERE { ?s a cg:Statement }",
    )[0]["n"]
        .parse()
        .unwrap()
}

#[test]
fn a_reviewed_sheet_imports_validates_and_reimports_in_place() {
    let dir = entities_store();
    let db = store_path(&dir);
    let sheet = dir.path().join("belarus.yaml");
    credgraph(&db)
        .arg("extract")
        .arg(seed_data().join(SEED_ARTICLE))
        .args(["--outlet", "Kyiv Wire", "-o"])
        .arg(&sheet)
        .assert()
        .success();
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        text.starts_with("# credgraph review sheet"),
        "documented at its top"
    );
    let proposed = text.matches("keep: true").count();
    assert!(proposed >= 16);
    // The reviewer leaves one statement out and restates one as a denial.
    let reviewed = text.replacen("keep: true", "keep: false", 1).replacen(
        "polarity: assert",
        "polarity: deny",
        1,
    );
    write(&sheet, &reviewed);
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .success()
        .stderr(predicates::str::contains("1 left out by keep: false"));
    assert_eq!(count_statements(&db), proposed - 1);
    credgraph(&db).arg("validate").assert().success();
    // Budanov's statements are his, in his post, and reported through the interview.
    let budanov = sparql(
        &db,
        "PREFIX cg: <https://w3id.org/credgraph/ns#>
         SELECT ?s ?post ?record WHERE {
           ?s cg:statedBy <https://w3id.org/credgraph/id/person/kyrylo-budanov> ;
              cg:inCapacity ?post ; cg:reportedIn ?doc .
           ?doc cg:derivedFrom ?record . ?record cg:records <https://w3id.org/credgraph/id/person/kyrylo-budanov> .
         }",
    );
    assert!(budanov.len() >= 6, "{budanov:?}");
    assert!(budanov
        .iter()
        .all(|r| r["post"].ends_with("/post/chief-of-the-main-directorate-of-intelligence")));
    // Importing the same sheet again replaces its graph instead of adding to it.
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .success()
        .stderr(predicates::str::contains("replacing the earlier import"));
    assert_eq!(count_statements(&db), proposed - 1);
    // And the statements take part in reasoning.
    credgraph(&db).arg("reason").assert().success();
}

#[test]
fn turtle_output_loads_and_validates() {
    let dir = entities_store();
    let db = store_path(&dir);
    let turtle = dir.path().join("proposals.ttl");
    credgraph(&db)
        .arg("extract")
        .arg(gold_dir().join("05-stoltenberg-blinken.txt"))
        .args(["--format", "turtle", "-o"])
        .arg(&turtle)
        .assert()
        .success();
    credgraph(&db).arg("load").arg(&turtle).assert().success();
    credgraph(&db).arg("validate").assert().success();
    let blinken = sparql(
        &db,
        "PREFIX cg: <https://w3id.org/credgraph/ns#>
         PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT ?s ?text WHERE { ?s cg:statedBy ?p ; cg:isDirectQuote true ; cg:text ?text . ?p rdfs:label \"Antony Blinken\"@en }",
    );
    // "“Putin has not changed his goals,” said Blinken. “He still wants ...”" is one
    // quotation: one statement holding both sentences.
    assert_eq!(blinken.len(), 1, "Blinken's quotes: {blinken:?}");
    assert!(
        blinken[0]["text"].contains("has not changed his goals")
            && blinken[0]["text"].contains("outlast us"),
        "{blinken:?}"
    );
}

#[test]
fn several_articles_need_a_folder_and_get_a_sheet_each() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let a = gold_dir().join("01-zaluzhnyi-second-attempt.txt");
    let b = gold_dir().join("02-budanov-belarus-strike-group.txt");
    credgraph(&db)
        .arg("extract")
        .args([&a, &b])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("-o FOLDER"));
    let out = dir.path().join("sheets");
    credgraph(&db)
        .arg("extract")
        .args([&a, &b])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("01-zaluzhnyi-second-attempt.yaml").is_file());
    assert!(out.join("02-budanov-belarus-strike-group.yaml").is_file());
}

#[test]
fn standard_input_with_a_date_flag() {
    let dir = tempfile::tempdir().unwrap();
    let output = credgraph(&store_path(&dir))
        .args(["extract", "-", "--date", "5 March 2023", "--format", "json"])
        .write_stdin("\"We will not give up a single village,\" the mayor of Bakhmut Oleksandr Marchenko said.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let sheet: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(sheet["article"]["date"], "2023-03-05");
    assert_eq!(sheet["statements"][0]["speaker"], "Oleksandr Marchenko");
    assert_eq!(sheet["statements"][0]["how"], "quote");
}

/// `extract` with these arguments exits 1 and says `message`.
fn extract_refused(db: &Path, args: &[&std::ffi::OsStr], message: &str) {
    credgraph(db)
        .arg("extract")
        .args(args)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(message));
}

#[test]
fn bad_articles_are_refused_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let empty = dir.path().join("empty.txt");
    write(&empty, "  \n\n");
    extract_refused(&db, &[empty.as_os_str()], "empty.txt: the article is empty");
    let binary = dir.path().join("photo.jpg");
    std::fs::write(&binary, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00").unwrap();
    extract_refused(
        &db,
        &[binary.as_os_str()],
        "photo.jpg:1:5: this is not a text",
    );
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"date: 2023-01-01\n\nKyiv said: caf\xe9 closed.").unwrap();
    extract_refused(
        &db,
        &[latin1.as_os_str()],
        "latin1.txt:3:15: not UTF-8 text (byte 0xe9)",
    );
    let undated = dir.path().join("undated.txt");
    write(&undated, "The minister said that the bridge is closed.");
    extract_refused(&db, &[undated.as_os_str()], "no date: give --date");
    credgraph(&db)
        .arg("extract")
        .arg(&undated)
        .args(["--date", "next Tuesday"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "'next Tuesday' for '--date <D>': unknown date format",
        ));
    let bad_header = dir.path().join("bad-header.txt");
    write(&bad_header, "outlet: Kyiv Wire\ndate: 31/31/2023\n\nText.");
    extract_refused(
        &db,
        &[bad_header.as_os_str()],
        "bad-header.txt:2:1: unknown date format",
    );
}

#[test]
fn a_text_without_statements_gives_an_empty_sheet_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let quiet = dir.path().join("quiet.txt");
    write(
        &quiet,
        "date: 2023-01-01\n\nWeather.\nRead also: Snow in Kyiv",
    );
    let output = credgraph(&store_path(&dir))
        .args(["extract", "--format", "json"])
        .arg(&quiet)
        .assert()
        .success()
        .stderr(predicates::str::contains("No statements found"))
        .get_output()
        .stdout
        .clone();
    let sheet: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(sheet["statements"].as_array().unwrap().len(), 0);
}

#[test]
fn a_malformed_sheet_is_reported_by_line_and_nothing_is_loaded() {
    let dir = seeded_store();
    let db = store_path(&dir);
    let before = dump(&db);
    let sheet = dir.path().join("review.yaml");
    credgraph(&db)
        .arg("extract")
        .arg(gold_dir().join("03-reznikov-austin-ramstein.txt"))
        .arg("-o")
        .arg(&sheet)
        .assert()
        .success();
    let good = std::fs::read_to_string(&sheet).unwrap();

    // YAML that does not parse.
    let broken = good.replacen("  how: quote", "  how: [quote", 1);
    write(&sheet, &broken);
    let line = broken
        .lines()
        .position(|l| l.contains("how: [quote"))
        .unwrap()
        + 1;
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!("review.yaml:{}:", line)))
        .stderr(predicates::str::contains("not a review sheet"));

    // A string left open: YAML that does not parse at all.
    let open = good.replacen(
        "\n  speaker: ",
        "\n  speaker: \"never closed\n  speaker2: ",
        1,
    );
    write(&sheet, &open);
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicates::str::is_match(r"review\.yaml:\d+:\d+: not a review sheet").unwrap());

    // A value the sheet does not allow.
    let wrong = good.replacen("certainty: null", "certainty: sure", 1);
    write(&sheet, &wrong);
    let line = wrong
        .lines()
        .position(|l| l.contains("certainty: sure"))
        .unwrap()
        + 1;
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!("review.yaml:{line}:")))
        .stderr(predicates::str::contains("unknown variant `sure`"));

    // A kept statement whose speaker nobody filled in.
    let unknown = good.replacen("speaker_kind: person", "speaker_kind: unknown", 1);
    write(&sheet, &unknown);
    let id_line = unknown
        .lines()
        .position(|l| l.contains("speaker_kind: unknown"))
        .map(|at| {
            unknown
                .lines()
                .take(at)
                .enumerate()
                .filter(|(_, l)| l.trim_start().starts_with("- id:"))
                .map(|(i, _)| i + 1)
                .last()
                .unwrap()
        })
        .unwrap();
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "review.yaml:{id_line}:1: statement "
        )))
        .stderr(predicates::str::contains("the speaker is unknown"));

    // A field the sheet does not have.
    let extra = good.replacen("  keep: true", "  keep: true\n  kept: yes", 1);
    write(&sheet, &extra);
    credgraph(&db)
        .arg("import")
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("unknown field `kept`"));

    assert_eq!(dump(&db), before, "nothing of a refused sheet is stored");
}

/// Two articles that report the same words on the same day get statements of their
/// own; a sheet whose id another sheet or the store already has is refused.
#[test]
fn statement_ids_are_unique_across_articles_and_the_store() {
    let dir = entities_store();
    let db = store_path(&dir);
    let article = gold_dir().join("05-stoltenberg-blinken.txt");
    let copy = dir.path().join("05-reposted.txt");
    std::fs::copy(&article, &copy).unwrap();
    let sheets = dir.path().join("sheets");
    credgraph(&db)
        .arg("extract")
        .args([&article, &copy])
        .arg("-o")
        .arg(&sheets)
        .assert()
        .success();
    let first = sheets.join("05-stoltenberg-blinken.yaml");
    let second = sheets.join("05-reposted.yaml");
    let ids = |path: &Path| -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("- id: ").map(str::to_string))
            .collect()
    };
    let (a, b) = (ids(&first), ids(&second));
    assert!(!a.is_empty());
    assert!(
        a.iter().all(|id| !b.contains(id)),
        "{a:?} and {b:?} share ids"
    );
    credgraph(&db)
        .arg("import")
        .args([&first, &second])
        .assert()
        .success();
    credgraph(&db).arg("validate").assert().success();
    let count = count_statements(&db);

    // Extracting the first again keeps its ids: they are its own statements.
    let again = dir.path().join("again.yaml");
    credgraph(&db)
        .arg("extract")
        .arg(&article)
        .arg("-o")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(ids(&again), a);

    // A third sheet that reuses an id of the store is refused, and nothing changes.
    let third = dir.path().join("third.yaml");
    let text = std::fs::read_to_string(&second).unwrap();
    write(&third, &text.replacen(&b[0], &a[0], 1));
    credgraph(&db)
        .arg("import")
        .arg(&third)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the store already has a statement of this id",
        ));
    assert_eq!(count_statements(&db), count);
}

/// The words of an article between two character offsets.
fn chars_between(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// Every speaker mention and cue of the written articles' sheets names the words at
/// its offsets; on the rally article, each speaker's mention is the one its frame
/// gives, a pronoun included.
#[test]
fn speaker_mentions_and_cues_point_at_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_path(&dir);
    let mut mentions = 0;
    let articles = written_articles();
    for article in &articles {
        let text = std::fs::read_to_string(article).unwrap();
        let sheet = extract_json(&db, &[article.to_str().unwrap()]);
        for statement in sheet["statements"].as_array().unwrap() {
            let mention = statement.get("speaker_mention");
            let through = mention.and_then(|m| m.get("resolved_through"));
            for (field, span) in [
                ("speaker_mention", mention),
                ("cue", statement.get("cue")),
                ("resolved_through", through),
            ] {
                let Some(span) = span else {
                    continue;
                };
                let (start, end) = (
                    span["start"].as_u64().unwrap(),
                    span["end"].as_u64().unwrap(),
                );
                assert_eq!(
                    chars_between(&text, start, end),
                    span["text"].as_str().unwrap(),
                    "{}: {field} of {statement}",
                    article.display()
                );
                mentions += (field == "speaker_mention") as usize;
            }
        }
    }
    assert!(mentions >= 50, "{mentions} speaker mentions");

    let rally = gold_dir().join("18-rally-questions.txt");
    let sheet = extract_json(&db, &[rally.to_str().unwrap()]);
    let said: Vec<(String, String, String)> = sheet["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| {
            Some((
                s["speaker"].as_str()?.to_string(),
                s.get("speaker_mention")?["text"].as_str()?.to_string(),
                s.get("cue")?["text"].as_str()?.to_string(),
            ))
        })
        .collect();
    let expected = [
        ("Marsha Keller", "Keller", "said"),
        ("Donald Trump", "Donald Trump", "asked"),
        ("Donald Trump", "Trump", "added"),
        ("Terry Branstad", "the governor, Terry Branstad", "said"),
        ("Terry Branstad", "He", "said"),
        (
            "Dana Morales",
            "Dana Morales, a volunteer from Ames",
            "shouted",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(said, expected);
    // "He said" is resolved through the mention of the governor in the sentence before.
    let he = sheet["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["speaker_mention"]["text"] == "He")
        .expect("a statement by He");
    assert_eq!(
        he["speaker_mention"]["resolved_through"]["text"],
        "the governor, Terry Branstad"
    );
}
