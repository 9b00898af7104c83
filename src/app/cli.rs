//! The command line, as clap definitions only: the rest of `app` turns them into
//! library calls. A flag with fixed choices is a `ValueEnum` or has a value parser, so
//! a wrong value is bad usage (exit 2) with the choices listed.

use crate::credibility::Method;
use crate::endpoints::AuthKind;
use crate::export::Scope;
use crate::extract::proposals::SheetFormat;
use crate::import::TargetGraph;
use crate::output::AnswerFormat;
use crate::viz;
use clap::{Args, Parser, Subcommand, ValueEnum};
use oxigraph::io::RdfFormat;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// credgraph: who said what, who corroborates whom, and how credible each source is.
///
/// Cases are RDF in an embedded store, or in a SPARQL 1.1 engine (--endpoint, --profile).
/// Load statements (or import claim tables), derive who agrees, contradicts and depends
/// on whom, score how credible each source and claim is, and ask in SPARQL or by named
/// query.
#[derive(Debug, Parser)]
#[command(name = "credgraph", version, max_term_width = 100)]
#[command(after_help = "Examples:
  credgraph load data/                                  put the bundled seed case in ./credgraph.db
  credgraph reason                                      derive agreement, dependence, corroboration
  credgraph query --name who-corroborates-whom          ask a named question
  credgraph score                                       score sources and claims
  credgraph explain Budanov                             say why a source scored as it did
  credgraph viz -o camps.html                           draw who stands with whom (offline page)
  credgraph --memory --load data/ --reason query --name corroborators --param source=Stoltenberg
  credgraph --endpoint http://127.0.0.1:8890/sparql query --name who-corroborates-whom
                                                        the same commands against a SPARQL engine

Exit codes: 0 ok, 1 an error you can fix (bad input, unknown name), 2 bad usage, 3 internal failure.")]
pub struct Cli {
    /// The store directory (created when missing).
    #[arg(
        long,
        global = true,
        env = "CREDGRAPH_DB",
        default_value = "credgraph.db",
        value_name = "DIR"
    )]
    pub db: PathBuf,

    /// Use a store in memory that lasts only as long as this command (with --load); --db is ignored.
    #[arg(long, global = true)]
    pub memory: bool,

    /// Load these files or folders before running the command (repeatable).
    #[arg(long = "load", global = true, value_name = "PATH")]
    pub preload: Vec<PathBuf>,

    /// Run `reason` before the command (after --load).
    #[arg(long = "reason", global = true)]
    pub prereason: bool,

    /// Work against a remote SPARQL 1.1 engine instead of the embedded store: its query URL,
    /// also used for updates unless --update-url is given.
    #[arg(
        long,
        global = true,
        env = "CREDGRAPH_ENDPOINT",
        value_name = "URL",
        conflicts_with = "memory",
        help_heading = "Remote engine"
    )]
    pub endpoint: Option<String>,

    /// A named engine from the endpoints file: query, update and graph store URLs,
    /// authentication, limits. Flags given as well override its fields.
    #[arg(
        long,
        global = true,
        env = "CREDGRAPH_PROFILE",
        value_name = "NAME",
        conflicts_with = "memory",
        help_heading = "Remote engine"
    )]
    pub profile: Option<String>,

    /// The endpoints file of --profile [default: ./credgraph-endpoints.yaml, else
    /// ~/.config/credgraph/endpoints.yaml].
    #[arg(
        long,
        global = true,
        env = "CREDGRAPH_ENDPOINTS",
        value_name = "FILE",
        help_heading = "Remote engine"
    )]
    pub endpoints_file: Option<PathBuf>,

    /// The engine's SPARQL Update URL, when it is not the query URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "Remote engine"
    )]
    pub update_url: Option<String>,

    /// The engine's Graph Store Protocol URL; writes then go there instead of INSERT DATA.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "Remote engine"
    )]
    pub store_url: Option<String>,

    /// How to authenticate to the engine. The password or token comes from
    /// --password-file or the environment variable CREDGRAPH_ENDPOINT_PASSWORD, never a flag.
    #[arg(long, global = true, value_enum, help_heading = "Remote engine")]
    pub auth: Option<AuthKind>,

    /// The user name for basic or digest authentication.
    #[arg(
        long,
        global = true,
        env = "CREDGRAPH_ENDPOINT_USER",
        value_name = "NAME",
        help_heading = "Remote engine"
    )]
    pub user: Option<String>,

    /// A file whose first line is the password (basic, digest) or token (bearer).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Remote engine"
    )]
    pub password_file: Option<PathBuf>,

    /// Seconds to wait for each answer of the engine [default: 300].
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        help_heading = "Remote engine"
    )]
    pub endpoint_timeout: Option<u64>,

    /// Fetch SELECT answers in pages of this many rows (ORDER BY, LIMIT, OFFSET), and
    /// credgraph's own large reads in parts of about this many (by a hash of the
    /// subject); without it, only when the engine says it cut an answer.
    #[arg(
        long,
        global = true,
        value_name = "ROWS",
        help_heading = "Remote engine"
    )]
    pub page_size: Option<u64>,

    /// Triples per write request to the engine [default: 10000].
    #[arg(
        long,
        global = true,
        value_name = "TRIPLES",
        help_heading = "Remote engine"
    )]
    pub write_chunk: Option<usize>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load RDF files or folders, each file into a named graph of its own, all or nothing.
    #[command(
        after_help = "Formats by extension, optionally gzipped: .ttl .nt .nq .trig .rdf .owl .jsonld .n3.
A file goes into the graph named by its file: URL; loading it again replaces that graph.
With --graph, every file's triples are added to the one graph given.
Folders are searched recursively for files with those extensions.
JSON-LD nested more than 100 levels deep is refused, at the line and column where it
goes past the limit.

Examples:
  credgraph load data/
  credgraph load case.ttl extra.nq.gz
  credgraph load statements.txt --format ttl --graph https://example.org/graph/mine
  curl -s https://example.org/case.nt | credgraph load - --format nt"
    )]
    Load(LoadArgs),

    /// Run a SPARQL query: from the command line, a file, standard input, or by name.
    #[command(
        after_help = "The query sees the union of all graphs. The prefixes cg:, person:, organization:, post:,
document:, question:, proposition:, statement:, rdf:, rdfs:, owl:, xsd:, skos:, prov:, org:,
foaf:, schema:, cito:, time: and others are predeclared.
The table streams: its first 1,000 rows set the columns' widths, and a wider value after
them is printed whole, out of line; --full reads every row first so that all fit.

Examples:
  credgraph query --list
  credgraph query --name who-corroborates-whom
  credgraph query --name corroborators --param source=\"Oleksii Reznikov\"
  credgraph query 'SELECT ?s WHERE { ?s a cg:Statement }' --results-format csv
  credgraph query --file mine.rq --results-format json -o answer.json"
    )]
    Query(QueryArgs),

    /// Run a SPARQL update.
    #[command(
        after_help = "WHERE clauses see the union of all graphs; INSERT DATA without GRAPH goes to the default graph.
An update that names every graph it writes (INSERT/DELETE DATA, templates inside GRAPH <g>,
DROP GRAPH <g>) is noted as changing those, so `reason` and `score` after it re-read only
them; one that may write graphs it does not name (GRAPH ?g, DROP ALL) as changing everything.

Examples:
  credgraph update 'INSERT DATA { GRAPH <urn:notes> { person:kyrylo-budanov rdfs:comment \"checked\" } }'
  credgraph update 'DROP GRAPH <file:///cases/2023-05-01-article.ttl>'
  credgraph update --file fix.ru"
    )]
    Update(UpdateArgs),

    /// Export the store, one graph, or the computed graphs, in any RDF format.
    #[command(
        after_help = "Without --graph the whole store is written (TriG by default); a single graph is Turtle by
default. The format comes from --format, else the -o file's extension (.gz compresses).

Examples:
  credgraph export -o backup.nq.gz
  credgraph export --graph derived --format ttl
  credgraph export --graph computed -o computed.trig"
    )]
    Export(ExportArgs),

    /// Check the store against the SHACL shapes and report each violation.
    #[command(after_help = "Examples:
  credgraph validate
  credgraph validate --shapes my-shapes.ttl --format json")]
    Validate(ValidateArgs),

    /// Derive agreement, contradiction, dependence and corroboration into the derived graph.
    #[command(
        after_help = "Runs the rules of ontology/rules/ (SPARQL Update files) to a fixpoint into the derived graph.
Source pairs are computed in Rust; statement pairs are stored only up to --max-statement-pairs
(the named queries agreeing-statements and contradicting-statements give them on demand).

On a store on disk that was reasoned before, only what changed is derived again: the graphs
loaded, replaced or dropped since then, and the sources they touch. It rebuilds from scratch
(and says why) after a SPARQL update, a change to how organizations or posts nest, a change to
a graph too large to follow, other options or --rules; --full always does.

Examples:
  credgraph reason
  credgraph reason --full
  credgraph reason --dependence same-institution,chain-of-command
  credgraph reason --dependence none --rules my-rules/"
    )]
    Reason(ReasonArgs),

    /// Import claim tables (TSV or CSV), reviewed statement sheets (YAML, from `extract`), or fact-checkers' reviews (ClaimReview).
    #[command(
        after_help = "Each item becomes a question, each distinct value of an item a proposition answering it
(the values of one item exclude each other), each row a statement asserting it. Tables may
be gzipped; .csv files are comma-separated (RFC 4180 quoting), others tab-separated. The
first line names the columns. A bad row (missing column, bad quoting, not UTF-8, bad date or
certainty) is reported with the line it starts on (LF and CRLF line breaks alike), and
then nothing is imported unless --skip-bad.
A file's statements go into the graph named by its file: URL; importing it again replaces them.

A review sheet from `credgraph extract` (.yaml, .yml or .json) is checked whole first: a field
that is wrong is reported with its line, and then nothing is imported. Its kept statements,
their speakers, propositions, questions and documents go into the sheet's graph.

Wikidata entity JSON (as Special:EntityData/Q….json gives it), the dumps' lines (one entity a
line, gzipped or not) and WDQS results of who held a post (Q….json) become people, posts,
tenures and organizations, by the table of ontology/wikidata/mapping.tsv: P39 with P580/P582,
the post's organization from P642, P2389, P361 or P108, the hierarchy from P361, P749 and
P355, parties from P102, labels and aliases in every language (which `extract` and `match`
link names to), owl:sameAs the Wikidata IRI and schema:version its revision. Each entity
goes into a graph of its own, which importing it again replaces. --wikidata Q… asks a SPARQL
endpoint instead (the public Wikidata one unless --wikidata-endpoint names another), and
follows what the entities refer to.

Fact-checkers' reviews (schema.org ClaimReview) are found by their contents, or given as such
by --claim-review (needed for standard input): JSON-LD (.json, .jsonld: one review, a list,
@graph; .jsonl, .ndjson or any file that is not one JSON value: one review a line), or a CSV
or TSV table with columns claim, claimant, date (the claim's), rating, reviewer, url and
optional review_date, rating_value, best_rating, worst_rating, appearance (or ClaimsKG's
names). Each review gives the claimant (linked to a source of the store by name, else new),
a statement asserting the claim, a proposition shared by all reviews of the claim, and a
resolution by the fact-checker: the rating's words mapped through lexicon/ratings.tsv (plus
--ratings FILE) to confirmed, partly confirmed, refuted or open and a truth degree; numbers
(ratingValue on its scale) when the words are missing or unknown. A review without a claim,
a claimant, a rating or a date is reported with its line or item, and then nothing is
imported unless --skip-bad; rating words no table knows are listed.

Examples:
  credgraph import claims.tsv.gz
  credgraph import sheet.csv --item question --source who --value answer --date day --certainty confidence
  credgraph import messy.tsv --skip-bad
  credgraph import belarus.yaml
  credgraph import Q646148.json latest-all.json.gz
  credgraph import --wikidata Q7184 Q2045 --wikidata-endpoint http://localhost:7878/query
  credgraph import factchecks.jsonl.gz --ratings my-ratings.tsv --skip-bad
  curl -s URL | credgraph import --claim-review -"
    )]
    Import(ImportArgs),

    /// Propose attributed statements from news articles, in a review sheet for `import`.
    #[command(
        after_help = "Reads each article (UTF-8 text; `-` for standard input) and proposes who said what: direct
quotes and the frame around them, indirect speech after reporting verbs (said, told, added,
noted, believes, according to), speakers by title and name, apposition, \"and\", pronoun or
surname carried over, hedging words mapped to the ICD-203 scale, the medium (\"in an interview
with ...\"), and the outlet's own unattributed reports. Speakers the store knows (by name,
surname or post at the article's date) are linked to their IRIs; new ones are proposed.

The article may start with a header of `date: YYYY-MM-DD`, `outlet: NAME`, `title:` and `url:`
lines (a blank line ends it); --date and --outlet override it. Without a date, nothing is
proposed. The sheet (YAML, documented at its top) gives each statement its character offsets
and a confidence; correct it, set `keep: false` where needed, and load it with
`credgraph import SHEET.yaml`. --format turtle writes RDF ready to `load` instead, and
--format json the sheet as JSON.

Examples:
  credgraph extract data/2022-12-24-belarus-threat.txt > belarus.yaml
  credgraph import belarus.yaml
  credgraph extract article.txt --date 2023-02-01 --outlet \"Kyiv Independent\" --format turtle
  credgraph --memory extract articles/*.txt -o sheets/"
    )]
    Extract(ExtractArgs),

    /// Propose which proposition each statement speaks to, and its stance, in a match sheet for `import`.
    #[command(
        after_help = "Takes the statements of statement tables (TSV or CSV with a header: id, source, text, and an
optional date) or of review sheets from `extract`; with no input, the statements of the store
whose proposition no other statement shares. Candidates are the store's propositions and those
of --propositions TABLE (id, text, optional question).

For each statement it proposes the proposition it speaks to (an existing one, or a new one
shared by a cluster of statements, labelled by the cluster's most central statement), its
stance (asserts, denies, or reports without taking a side) with the cue that decided it, its
ICD-203 certainty, the ranked candidates with their scores, the words, names, numbers and
dates it shares with the proposition, a cluster id and a confidence. Words are stemmed and
weighed by TF-IDF; candidates are found through an inverted index; statements are clustered
by average link within --window days. Word lists and the stance model are the files of
lexicon/ (see the README, \"Matching statements\").

The match sheet (YAML, documented at its top) changes nothing until `credgraph import SHEET`
applies what the analyst kept. --format json writes one object per statement instead, for
scripts: statement, stance, certainty, candidates (proposition, score), proposition, cluster,
confidence, cue, cues, evidence.

Examples:
  credgraph match -o matches.yaml                       the store's unshared statements
  credgraph import matches.yaml
  credgraph match headlines.tsv --propositions claims.tsv --format json -o matches.json
  credgraph --memory match sheets/*.yaml -o matches.yaml"
    )]
    Match(MatchArgs),

    /// Score sources and statements: truth discovery, dependence, track records, Admiralty grades.
    #[command(
        after_help = "Replaces the scores graph with a cg:Assessment per source (method, value, 90% interval,
evidence count, reliability grade A-F) and per proposition (belief, independent sources,
credibility grade 1-6), plus the copying found between sources. Run `reason` first so that
declared dependence (same institution, chain of command, reporting, quoting) counts.

Methods: dependence-aware (the default: sources that depend on each other share one vote,
copying is detected from the data, per attribute too where item names carry one,
certainty weighs each vote), voting, sums, average-log,
investment, pooled-investment, truthfinder; several comma-separated, or all.

Grades (see the README): A >= 0.90, B >= 0.80, C >= 0.65, D >= 0.50, else E; F when fewer than
--min-evidence claims could be checked against another source or a resolution. Credibility:
1 resolved true, or belief >= 0.90 with two independent sources; 2 >= 0.70; 3 >= 0.45;
4 >= 0.20; 5 below, or resolved false; 6 when no independent second voice speaks to it.

Attributes: a question label is split into object and attribute at the last
--attribute-separator; without it, at the last /, only where every question label of the
label's graph (an imported claim table) has the same shape, as DAY/FLIGHT/ATTRIBUTE does.

Scoring again reads from the store only the graphs changed since the last read (a journal
and a cache of claim triples live in the store directory; deleting the cache is safe).

Examples:
  credgraph score
  credgraph score --method all
  credgraph score --reliability-thresholds 0.95,0.85,0.7,0.5 --min-evidence 5
  credgraph score --max-rounds 200 --tolerance 1e-4

Each method's rounds stop when no source's trust moves by more than --tolerance, or at
--max-rounds; the summary says when a method stopped at its cap without converging, and
--format json gives rounds and converged per method."
    )]
    Score(ScoreArgs),

    /// Explain a source's or a statement's score in plain words (or JSON).
    #[command(after_help = "Examples:
  credgraph explain Budanov
  credgraph explain person:jens-stoltenberg --format json
  credgraph explain statement:stoltenberg-russia-is-preparing-a-renewed-offensive")]
    Explain(ExplainArgs),

    /// Measure methods against gold values: precision, per attribute, and Spearman(trust, accuracy).
    #[command(
        after_help = "With --claims, everything runs in memory on a claim table (no store); without, on the
statements of the store, items and values matched by the labels of questions and propositions.
Precision is the share of gold items whose most believed value is the gold value (ties go to
the smallest value); per attribute where item names carry one: split at the last
--attribute-separator, or without it at the last /, only where every item name of the table
has the same shape (ITEM/ATTRIBUTE, DAY/FLIGHT/ATTRIBUTE); a stray slash splits nothing.
Spearman is taken over the sources with at least --min-gold-items (5) gold items, as the
literature reports it; the report says how many. A method that stopped at --max-rounds
without converging is named. --predictions writes each item's chosen value, its belief, the
runner-up and the gold value, per method (TSV, or CSV for a .csv name; gzipped for .gz), so
results can be checked item by item.

Examples:
  credgraph evaluate --claims claims.tsv.gz --gold gold.tsv
  credgraph evaluate --claims claims.tsv.gz --gold gold.tsv --method dependence-aware --format json
  credgraph evaluate --claims claims.tsv --gold gold.tsv --attribute-separator '|' --predictions predictions.tsv
  credgraph evaluate --gold gold.tsv"
    )]
    Evaluate(Box<EvaluateArgs>),

    /// Draw the agreement graph: DOT, SVG, GraphML, GEXF, Cytoscape JSON or an offline HTML page.
    #[command(
        after_help = "The source view (default) has a node per source, coloured by institution and sized by
credibility (from `score`; by statement count before scoring), and an edge per pair that agree
(blue, dot ends) or contradict (orange, bar ends), its width the number of statement pairs,
dashed where the two depend on each other. Camps of sources that agree are shaded. The
statement view has a node per statement grouped by question, and the reporting chain (outlet,
document, statement) as grey arrows. Run `reason` first: the edges come from what it derives.

Formats: dot (Graphviz), svg (laid out and drawn by credgraph), graphml and gexf (Gephi,
networkx), cytoscape (Cytoscape.js elements JSON), html (one offline page: pan, zoom, hover,
click to focus, filters, search). The format comes from --format, else from the -o extension,
else svg. The layout is deterministic for a given --seed.

Examples:
  credgraph viz -o camps.svg
  credgraph viz -o case.html
  credgraph viz --focus Budanov --format dot | dot -Tpng -o budanov.png
  credgraph viz --view statements --question \"renewed offensive\" -o offensive.svg
  credgraph viz --independent-only --min-weight 2 -o corroboration.gexf"
    )]
    Viz(VizArgs),

    /// Serve the store: a SPARQL 1.1 endpoint (Protocol and Graph Store Protocol) and pages for analysts.
    #[command(after_help = "Routes, as Oxigraph has them:
  /query /update /sparql   SPARQL 1.1 Protocol (GET, form POST, direct POST); a bare GET gives
                           the service description
  /store                   Graph Store Protocol: ?graph=IRI, ?default, /store/PATH (direct)
  /health                  JSON status for monitoring
  /                        query page: named queries as examples, results, downloads
  /sources, /source?name=  sources, and one source's posts, statements, corroborators, credibility
  /graph                   the agreement graph, live (the filters of `viz` as URL parameters)

Safe by default: listens on 127.0.0.1 only; read-only unless --writable, and then every write
needs `Authorization: Bearer TOKEN`, the token read from --token-file or CREDGRAPH_TOKEN (never
given on the command line). SERVICE is refused: the server never fetches a URL a query names.
A query that runs past --timeout is stopped (503), sorts and property paths included, and so
are the queries evaluating when the server's memory passes --max-memory. An answer over --max-rows is cut, and the
response says so with the header X-SPARQL-MaxRows (as Virtuoso does). Bodies over --max-body
are refused (413). Cross-origin requests are refused unless --cors lists the origin.

Queries see the union of all graphs unless they name a dataset (FROM, default-graph-uri);
the prefixes of `credgraph query` are predeclared.

Examples:
  credgraph serve                                   http://127.0.0.1:7878/
  credgraph --memory --load data/ --reason serve --bind 127.0.0.1:8080
  CREDGRAPH_TOKEN=$(cat token) credgraph serve --writable
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' http://127.0.0.1:7878/query")]
    Serve(ServeArgs),

    /// Write a synthetic case of any size (for benchmarks and tests).
    #[command(
        after_help = "Deterministic for a given --seed. The format comes from --format or the -o extension
(N-Triples on standard output).

Examples:
  credgraph generate --sources 40 --statements 500 -o small.ttl
  credgraph generate --sources 2000 --statements 1000000 --seed 7 -o big.nt"
    )]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Files, folders, or - for standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The RDF format (ttl, nt, nq, trig, rdf, jsonld, n3, or a media type).
    #[arg(long, value_name = "F", value_parser = rdf_format)]
    pub format: Option<RdfFormat>,
    /// Put every file into this graph (an IRI, or `default`) instead of a graph per file.
    #[arg(long, value_name = "IRI", value_parser = TargetGraph::parse)]
    pub graph: Option<TargetGraph>,
    /// Resolve relative IRIs against this base instead of each file's URL.
    #[arg(long, value_name = "IRI")]
    pub base: Option<String>,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query text, or - to read it from standard input.
    #[arg(value_name = "QUERY", conflicts_with_all = ["file", "name", "list"])]
    pub query: Option<String>,
    /// Read the query from this file.
    #[arg(long, value_name = "F", conflicts_with_all = ["name", "list"])]
    pub file: Option<PathBuf>,
    /// Run the named query NAME (see --list).
    #[arg(long, value_name = "NAME", conflicts_with = "list")]
    pub name: Option<String>,
    /// A parameter of a named query, KEY=VALUE (repeatable).
    #[arg(long = "param", value_name = "K=V", value_parser = parse_key_value, requires = "name")]
    pub params: Vec<(String, String)>,
    /// table, json, xml, csv, tsv, or an RDF format for CONSTRUCT and DESCRIBE.
    #[arg(long, value_name = "F", value_parser = AnswerFormat::parse)]
    pub results_format: Option<AnswerFormat>,
    /// Write the answer to this file (its extension names the format).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// List the named queries with their parameters.
    #[arg(long)]
    pub list: bool,
    /// Show whole cells in tables instead of cutting long ones on a terminal, and read
    /// every row before printing so that the columns fit them all (the table otherwise
    /// streams, its first 1,000 rows setting the widths).
    #[arg(long)]
    pub full: bool,
}

fn parse_key_value(value: &str) -> Result<(String, String), String> {
    value
        .split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("'{value}' is not KEY=VALUE"))
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The update text, or - to read it from standard input.
    #[arg(value_name = "UPDATE", conflicts_with = "file")]
    pub update: Option<String>,
    /// Read the update from this file.
    #[arg(long, value_name = "F")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The RDF format (ttl, nt, nq, trig, rdf, jsonld, n3, or a media type).
    #[arg(long, value_name = "F", value_parser = rdf_format)]
    pub format: Option<RdfFormat>,
    /// What to export: all, default, ontology, derived, scores, computed, or a graph IRI.
    #[arg(long, value_name = "GRAPH", default_value = "all", value_parser = Scope::parse)]
    pub graph: Scope,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// More SHACL shapes to check, besides ontology/shapes.ttl (repeatable).
    #[arg(long = "shapes", value_name = "FILE")]
    pub shapes: Vec<PathBuf>,
    /// One line per violation, or JSON.
    #[arg(long, value_enum, value_name = "F", default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (host:port; port 0 picks a free one). Other than loopback only when you mean it.
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
    pub bind: String,

    /// Accept updates and Graph Store writes, each with the bearer token.
    #[arg(long)]
    pub writable: bool,

    /// A file holding the bearer token writes need (else the environment variable CREDGRAPH_TOKEN).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Stop a query or update that runs longer than this many seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub timeout: f64,

    /// Cut answers after this many rows (or triples); the response then carries X-SPARQL-MaxRows.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub max_rows: usize,

    /// Refuse request bodies over this many bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_body: u64,

    /// Allow cross-origin requests from this origin (repeatable; `*` for any).
    #[arg(long = "cors", value_name = "ORIGIN")]
    pub cors: Vec<String>,

    /// At most this many connections at once (each has its own thread). Past it, the connection still sending its request that began earliest (a second later for each 64 KiB of body it sent) is closed to make room; when all are being answered, a newcomer gets 503 at once.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_connections: usize,

    /// A request (head and body) must arrive within this many seconds of its first byte, plus one more for each 64 KiB of body; a client past it gets 408 and is disconnected.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub request_timeout: f64,

    /// Queries evaluating at once (default: twice the cores); the others wait their turn, and their timeout starts when their turn comes.
    #[arg(long, value_name = "N")]
    pub max_parallel_queries: Option<usize>,

    /// Stop the queries evaluating when the server's resident memory passes this many megabytes (503); 0 for no limit.
    #[arg(long, default_value_t = 4096, value_name = "MB")]
    pub max_memory: u64,
}

#[derive(Debug, Args)]
pub struct ReasonArgs {
    /// Which dependences to derive: a comma-separated list of same-institution,
    /// chain-of-command, reporting, quoting; or all, or none.
    #[arg(long, value_name = "KINDS", default_value = "all", value_parser = dependence_kinds)]
    pub dependence: BTreeSet<String>,
    /// Store statement pairs (agreesWith, contradicts) only up to this many.
    #[arg(long, value_name = "N", default_value_t = 2_000_000)]
    pub max_statement_pairs: u64,
    /// Evidence statements kept of each source of a pair, for agreement and for contradiction.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub evidence_limit: usize,
    /// Run the .rq rules of this folder instead of the shipped ones (always from scratch).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Rebuild the derived graph from scratch, even where only a few graphs changed.
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many sources.
    #[arg(long, value_name = "N")]
    pub sources: usize,
    /// How many statements.
    #[arg(long, value_name = "M")]
    pub statements: usize,
    /// How many questions (default: one per 20 statements).
    #[arg(long, value_name = "K")]
    pub questions: Option<usize>,
    /// The random seed.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The RDF format (default: from -o, else N-Triples).
    #[arg(long, value_name = "F", value_parser = rdf_format)]
    pub format: Option<RdfFormat>,
    /// Write to this file instead of standard output (.gz compresses).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VizArgs {
    /// What a node is.
    #[arg(long, value_enum, value_name = "V", default_value = "sources")]
    pub view: viz::View,
    /// The picture's format (default: from -o, else svg).
    #[arg(long, value_enum, value_name = "F")]
    pub format: Option<viz::Format>,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Draw this source (name or IRI) and its neighbours only.
    #[arg(long, value_name = "SOURCE")]
    pub focus: Option<String>,
    /// Only statements on this question (name or IRI).
    #[arg(long, value_name = "QUESTION")]
    pub question: Option<String>,
    /// Only statements made on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only statements made on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Leave out edges backed by fewer statement pairs.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_weight: usize,
    /// Only agreement between independent sources (no contradiction, no dependent pairs).
    #[arg(long)]
    pub independent_only: bool,
    /// The scoring method whose credibility sizes the nodes.
    #[arg(long, value_enum, value_name = "M", default_value = "dependence-aware")]
    pub method: Method,
    /// The layout's random seed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
}

/// Which columns of a claim table hold what.
#[derive(Debug, Args, Clone)]
pub struct ColumnArgs {
    /// The column naming what is claimed about (becomes a question).
    #[arg(long, value_name = "COLUMN", default_value = "item")]
    pub item: String,
    /// The column naming who claims it.
    #[arg(long, value_name = "COLUMN", default_value = "source")]
    pub source: String,
    /// The column holding the value claimed (becomes a proposition).
    #[arg(long, value_name = "COLUMN", default_value = "value")]
    pub value: String,
    /// A column of dates (YYYY-MM-DD) when the claim was made.
    #[arg(long, value_name = "COLUMN")]
    pub date: Option<String>,
    /// A column of certainty: a probability, a percentage, or an ICD-203 term such as "very likely".
    #[arg(long, value_name = "COLUMN")]
    pub certainty: Option<String>,
    /// The field separator: tab, comma, semicolon, or one character (default: comma for .csv, else tab).
    #[arg(long, value_name = "SEP", value_parser = delimiter)]
    pub delimiter: Option<u8>,
}

impl ColumnArgs {
    /// The table options the column flags give.
    pub fn table_options(&self, skip_bad: bool) -> crate::import::table::TableOptions {
        crate::import::table::TableOptions {
            item: self.item.clone(),
            source: self.source.clone(),
            value: self.value.clone(),
            date: self.date.clone(),
            certainty: self.certainty.clone(),
            delimiter: self.delimiter,
            skip_bad,
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Claim tables, or - for standard input; or review sheets (.yaml, .yml, .json) from
    /// `extract`; or Wikidata entity JSON, dump lines or WDQS results; or fact-checkers'
    /// reviews (ClaimReview JSON-LD, JSON lines or tables).
    #[arg(required_unless_present_any = ["hierarchy", "wikidata"], value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Import these Wikidata entities (Q…), and the posts, organizations and parties
    /// they refer to, from a SPARQL endpoint: --wikidata-endpoint, else the public
    /// Wikidata one (https://query.wikidata.org/sparql).
    #[arg(long, value_name = "Q…", num_args = 1.., value_parser = wikidata_id, conflicts_with = "files")]
    pub wikidata: Vec<String>,
    /// The SPARQL endpoint --wikidata asks (one holding Wikidata's RDF).
    #[arg(long, value_name = "URL", requires = "wikidata")]
    pub wikidata_endpoint: Option<String>,
    /// How many steps --wikidata follows from the entities asked for to the posts,
    /// organizations and parties they refer to.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "wikidata")]
    pub follow: usize,
    /// The table of which Wikidata property plays which part (instead of the shipped
    /// ontology/wikidata/mapping.tsv).
    #[arg(long, value_name = "FILE")]
    pub wikidata_mapping: Option<PathBuf>,
    /// A hierarchy of values (child, parent rows; a root's parent empty): each
    /// answer to a question entails the answers naming its ancestors ("Los Angeles"
    /// entails "California"), so that a claim of a place also claims its region.
    /// Import it after the claims it links; importing the file again replaces it.
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    pub hierarchy: Option<PathBuf>,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Import the good rows (or reviews) even when some are bad (the bad ones are listed).
    #[arg(long)]
    pub skip_bad: bool,
    /// The files are fact-checkers' reviews (ClaimReview), whatever their names say.
    #[arg(long, conflicts_with = "hierarchy")]
    pub claim_review: bool,
    /// Rating words of fact-checkers, added to lexicon/ratings.tsv (a word given here
    /// overrides it): tab-separated columns rating, status (confirmed, partly,
    /// refuted, open) and degree (0 to 1, empty for open).
    #[arg(long, value_name = "FILE", conflicts_with = "hierarchy")]
    pub ratings: Option<PathBuf>,
    /// Put every file's statements into this graph (an IRI, or `default`).
    #[arg(long, value_name = "IRI", value_parser = TargetGraph::parse)]
    pub graph: Option<TargetGraph>,
}

/// A Wikidata item id: `Q42`, or its IRI.
fn wikidata_id(value: &str) -> std::result::Result<String, String> {
    let id = value
        .trim()
        .trim_start_matches("http://www.wikidata.org/entity/")
        .trim_start_matches("wd:");
    if crate::import::wikidata::mapping::is_id(id) && id.starts_with('Q') {
        Ok(id.to_string())
    } else {
        Err(format!(
            "{value:?} is not a Wikidata item (Q42, or its IRI)"
        ))
    }
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Articles (UTF-8 text), or - for standard input.
    #[arg(required = true, value_name = "ARTICLE")]
    pub files: Vec<PathBuf>,
    /// The articles' date, when their header gives none (YYYY-MM-DD, "24 December 2022", ...).
    #[arg(long, value_name = "D", value_parser = article_date)]
    pub date: Option<String>,
    /// The outlet that published the articles.
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// The article's title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Where the article can be read (kept as text, never fetched).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// What to write.
    #[arg(long, value_enum, value_name = "F", default_value = "yaml")]
    pub format: SheetFormat,
    /// Write here instead of standard output: a file, or a folder (one file per
    /// article, needed for several articles).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Also propose which proposition each statement speaks to (as `match` does,
    /// against the store's propositions and across the articles), so that one review
    /// covers both steps.
    #[arg(long = "match")]
    pub with_match: bool,
}

/// The formats `match` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchFormat {
    /// The match sheet, for review and `import`.
    Yaml,
    /// One object per statement, for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Statement tables (.tsv, .csv, optionally .gz) or review sheets (.yaml, .yml, .json);
    /// none: the store's statements whose proposition no other statement shares.
    #[arg(value_name = "SHEET|TABLE")]
    pub files: Vec<PathBuf>,
    /// Candidate propositions: a table with columns id, text and optional question.
    #[arg(long, value_name = "TABLE")]
    pub propositions: Vec<PathBuf>,
    #[arg(long, value_enum, value_name = "F", default_value = "yaml")]
    pub format: MatchFormat,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How many candidates to give each statement.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top: usize,
    /// The least score (0 to 1) for matching a statement to an existing proposition.
    #[arg(long, value_name = "X", default_value_t = crate::matching::Options::default().threshold)]
    pub threshold: f32,
    /// The least mean similarity (0 to 1) between two clusters' statements for them to
    /// merge [default: how alike the run's statements are at random, plus 1.9 standard
    /// deviations, at most 0.3].
    #[arg(long, value_name = "X")]
    pub cluster_threshold: Option<f32>,
    /// Statements further apart than this many days are not clustered together (0: no window).
    #[arg(long, value_name = "DAYS", default_value_t = 60)]
    pub window: i64,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The method, several comma-separated, or all.
    #[arg(long, value_name = "M", default_value = "dependence-aware", value_parser = methods)]
    pub method: Methods,
    /// Lowest accuracy for grades A, B, C and D.
    #[arg(long, value_name = "A,B,C,D", default_value = "0.9,0.8,0.65,0.5")]
    pub reliability_thresholds: String,
    /// Lowest belief for credibility 1, 2, 3 and 4.
    #[arg(long, value_name = "1,2,3,4", default_value = "0.9,0.7,0.45,0.2")]
    pub credibility_thresholds: String,
    /// Fewest checkable claims for a reliability grade other than F.
    #[arg(long, value_name = "N", default_value_t = 3.0)]
    pub min_evidence: f64,
    /// List this many sources (0: all).
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub top: usize,
    #[command(flatten)]
    pub stopping: StoppingArgs,
    /// Split question labels into object and attribute at the last SEP (default: at
    /// the last / where every label of a graph has the same shape).
    #[arg(long, value_name = "SEP", value_parser = attribute_separator)]
    pub attribute_separator: Option<String>,
    /// Text for reading, or JSON for scripts.
    #[arg(long, value_enum, value_name = "F", default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A source (a name, an IRI or a prefixed name) or a statement (its IRI).
    #[arg(value_name = "SOURCE|STATEMENT")]
    pub target: String,
    /// Text for reading, or JSON for scripts.
    #[arg(long, value_enum, value_name = "F", default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The gold table: an item and a value column (TSV or CSV, optionally gzipped).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// A claim table to evaluate in memory, without the store.
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Import the good rows of --claims even when some are bad.
    #[arg(long)]
    pub skip_bad: bool,
    /// The method, several comma-separated, or all.
    #[arg(long, value_name = "M", default_value = "all", value_parser = methods)]
    pub method: Methods,
    #[command(flatten)]
    pub stopping: StoppingArgs,
    /// Leave sources with fewer gold items than this out of the Spearman correlation.
    #[arg(long, value_name = "N", default_value_t = crate::credibility::evaluate::MIN_GOLD_ITEMS)]
    pub min_gold_items: usize,
    /// Also count a numeric value right when it is within this of the gold value:
    /// a number (0.5) or a share of the gold value (2%); a column "within" and
    /// precision_within in JSON. Where values are lists, a column "jaccard" (mean
    /// share of members in common with the gold list) is always given.
    #[arg(long, value_name = "TOL", value_parser = crate::credibility::evaluate::Tolerance::parse)]
    pub within: Option<crate::credibility::evaluate::Tolerance>,
    /// A table, or JSON (one object per method; an array with several).
    #[arg(long, value_enum, value_name = "F", default_value = "text")]
    pub format: OutputFormat,
    /// Split item names into object and attribute at the last SEP (default: at the
    /// last / where every item name has the same shape).
    #[arg(long, value_name = "SEP", value_parser = attribute_separator)]
    pub attribute_separator: Option<String>,
    /// Write each item's chosen value, belief, runner-up and gold value, per method (TSV; CSV for .csv).
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// Also count a chosen value right when it is an ancestor of the gold value in
    /// this hierarchy (child, parent rows): a column "on path" and precision_on_path
    /// in JSON. Defaults to the --hierarchy file where one is given.
    #[arg(long, value_name = "FILE")]
    pub gold_paths: Option<PathBuf>,
    #[command(flatten)]
    pub relations: RelationArgs,
}

/// Which values support each other besides equal ones (`evaluate`).
#[derive(Debug, Args)]
pub struct RelationArgs {
    /// How close two numbers (times of day, dates, quantities with one unit) must be
    /// to support each other in the default method: auto (learned per attribute from
    /// how far disagreeing claims typically are), 0 (only equal values agree), a
    /// distance (2) or a share of the value (1%), at which a claim lends e^-1 of its
    /// vote.
    #[arg(long, value_name = "auto|TOL", default_value = "auto",
          value_parser = crate::credibility::related::Closeness::parse)]
    pub closeness: crate::credibility::related::Closeness,
    /// Values that are lists (a book's authors): auto (an attribute where a tenth of
    /// the values contain ; or |), none, or the separator. A list is one value in any
    /// order; lists sharing members support each other by the share they share.
    #[arg(long, value_name = "auto|none|SEP", default_value = "auto",
          value_parser = crate::credibility::related::lists::Lists::parse)]
    pub list_separator: crate::credibility::related::lists::Lists,
    /// A hierarchy of values (child, parent rows; a root with an empty parent): a
    /// claim of a value also supports its ancestors and is compatible with its
    /// descendants, and the most specific well-supported value is chosen.
    #[arg(long, value_name = "FILE")]
    pub hierarchy: Option<PathBuf>,
}

impl RelationArgs {
    /// The relations these flags ask for, the hierarchy read.
    pub fn relations(&self) -> crate::error::Result<crate::credibility::related::Relations> {
        let hierarchy = match &self.hierarchy {
            Some(path) => Some(std::sync::Arc::new(
                crate::credibility::related::hierarchy::Hierarchy::read(path)?,
            )),
            None => None,
        };
        Ok(crate::credibility::related::Relations {
            closeness: self.closeness,
            lists: self.list_separator.clone(),
            hierarchy,
        })
    }
}

/// An attribute separator: any text but the empty one.
fn attribute_separator(text: &str) -> Result<String, String> {
    if text.is_empty() {
        Err("the separator cannot be empty".into())
    } else {
        Ok(text.to_string())
    }
}

/// When the iterative methods' rounds stop (`score`, `evaluate`).
#[derive(Debug, Args)]
pub struct StoppingArgs {
    /// Stop every iterative method after at most N rounds [default: each method's own:
    /// dependence-aware 50, sums, average-log and investment 20, pooled-investment 10,
    /// truthfinder 100].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_rounds: Option<u64>,
    /// A method has converged once no source's trust moves by more than X in a round
    /// [default: dependence-aware 0.001, the others 1e-6].
    #[arg(long, value_name = "X", value_parser = tolerance)]
    pub tolerance: Option<f64>,
}

impl StoppingArgs {
    pub fn stopping(&self) -> crate::credibility::Stopping {
        crate::credibility::Stopping {
            max_rounds: self.max_rounds.map(|n| n as usize),
            tolerance: self.tolerance,
        }
    }
}

/// A tolerance: a number, 0 or more.
fn tolerance(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!(
            "'{value}' is not a tolerance (a number, 0 or more)"
        )),
    }
}

/// How a command that answers in prose or a table answers scripts instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For reading.
    Text,
    /// For scripts.
    Json,
}

impl Default for ReasonArgs {
    /// What `--reason` runs: `reason` with its defaults.
    fn default() -> Self {
        let defaults = crate::reason::ReasonOptions::default();
        ReasonArgs {
            dependence: defaults.dependence,
            max_statement_pairs: defaults.max_statement_pairs,
            evidence_limit: defaults.evidence_limit,
            rules: None,
            full: false,
        }
    }
}

fn rdf_format(name: &str) -> crate::Result<RdfFormat> {
    crate::formats::parse_rdf_format(name)
}

/// Methods given to `--method` as one value (a plain `Vec` would tell clap to
/// expect the flag once per method).
pub type Methods = Vec<Method>;

/// One method, several comma-separated, or `all`.
fn methods(value: &str) -> crate::Result<Methods> {
    Method::parse_list(value)
}

/// `all`, `none`, or a comma-separated list of the kinds of dependence.
fn dependence_kinds(value: &str) -> crate::Result<BTreeSet<String>> {
    crate::reason::parse_dependence(value)
}

/// tab, comma, semicolon, or one ASCII character.
fn delimiter(value: &str) -> Result<u8, String> {
    match value {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" | "," => Ok(b','),
        "semicolon" | ";" => Ok(b';'),
        one if one.len() == 1 => Ok(one.as_bytes()[0]),
        _ => Err("give tab, comma, semicolon, or one ASCII character".into()),
    }
}

/// A date as articles write it, as YYYY-MM-DD.
fn article_date(value: &str) -> Result<String, String> {
    crate::extract::article::parse_date(value).ok_or_else(|| {
        "unknown date format; write it as YYYY-MM-DD (or \"24 December 2022\", \"December 24, 2022\")".into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_parses_its_defaults() {
        for args in [
            &["credgraph", "score"][..],
            &["credgraph", "evaluate", "--gold", "g.tsv"],
            &["credgraph", "reason"],
            &["credgraph", "viz"],
            &["credgraph", "export"],
            &["credgraph", "validate"],
            &["credgraph", "explain", "Budanov"],
            &["credgraph", "extract", "a.txt"],
            &["credgraph", "match"],
        ] {
            Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        }
        let cli = Cli::try_parse_from(["credgraph", "score", "--method", "voting,sums"]).unwrap();
        let Command::Score(score) = cli.command else {
            panic!("not score")
        };
        assert_eq!(score.method, [Method::Voting, Method::Sums]);
    }
}
