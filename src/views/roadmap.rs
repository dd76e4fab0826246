//! `cto roadmap report`: the Now / Next / Later board, effort per quarter against
//! capacity, dependency order, and how experiments turned out.

use std::collections::{BTreeSet, HashMap};

use serde::{Serialize, Serializer};

use super::{Report, Row, Section, TableView, cell, ratio};
use crate::check::Context;
use crate::check::effort_by_quarter;
use crate::model::{
    Corpus, Document, Horizon, ItemType, Kind, Outcome, Points, Quarter, RoadmapFields,
    RoadmapStatus,
};

fn live(d: &Document) -> bool {
    d.roadmap().is_none_or(RoadmapFields::is_open)
}

fn depends_on(d: &Document) -> Vec<String> {
    d.roadmap()
        .map(|i| i.depends_on.iter().map(|r| r.id.clone()).collect())
        .unwrap_or_default()
}

/// An item on the board.
#[derive(Debug, Clone, Serialize)]
pub struct BoardItem {
    pub id: Option<String>,
    pub title: String,
    pub status: String,
    pub owner: Option<String>,
    pub quarter: Option<Quarter>,
    #[serde(rename = "type")]
    pub item_type: Option<ItemType>,
    pub effort: Option<Points>,
    pub depends_on: Option<Vec<String>>,
}

impl BoardItem {
    fn of(d: &Document) -> Self {
        let i = d.roadmap();
        BoardItem {
            id: d.id.clone(),
            title: d.title_text().to_string(),
            status: d.status_value().to_string(),
            owner: i.and_then(|i| i.owner.clone()),
            quarter: i.and_then(|i| i.quarter),
            item_type: i.and_then(|i| i.item_type),
            effort: i.and_then(|i| i.effort).map(|e| e.0),
            depends_on: i.map(|_| depends_on(d)),
        }
    }

    /// `RM-0004 Title (owner)`, as a board card.
    fn card(&self) -> String {
        let owner = self
            .owner
            .as_ref()
            .map_or(String::new(), |o| format!(" ({o})"));
        format!("{} {}{owner}", cell(self.id.as_ref()), self.title)
    }
}

/// Live items by horizon, and what shipped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Board {
    pub now: Vec<BoardItem>,
    pub next: Vec<BoardItem>,
    pub later: Vec<BoardItem>,
    pub shipped: Vec<BoardItem>,
}

impl Board {
    /// The three live columns with their horizon.
    pub fn columns(&self) -> [(Horizon, &[BoardItem]); 3] {
        [
            (Horizon::Now, &self.now),
            (Horizon::Next, &self.next),
            (Horizon::Later, &self.later),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterEffort {
    pub quarter: Quarter,
    pub effort: Points,
    pub capacity: Option<Points>,
    pub over: bool,
    pub items: Vec<String>,
}

impl Row for QuarterEffort {
    const HEADER: &'static [&'static str] = &["quarter", "effort", "capacity", "", "items"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.quarter.to_string(),
            self.effort.to_string(),
            self.capacity.map_or("-".into(), |c| c.to_string()),
            if self.over {
                "over".into()
            } else {
                String::new()
            },
            self.items.join(" "),
        ]
    }
}

/// One item in dependency order (`position` is `None` for items caught in a cycle).
#[derive(Debug, Clone)]
pub struct Step {
    pub position: Option<usize>,
    pub id: String,
    pub depends_on: Vec<String>,
    pub title: String,
}

impl Row for Step {
    const HEADER: &'static [&'static str] = &["#", "id", "depends on", "title"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.position.map_or("cycle".into(), |n| n.to_string()),
            self.id.clone(),
            // Items in a cycle list no dependencies: the cycle is lint's message.
            if self.position.is_some() {
                self.depends_on.join(" ")
            } else {
                String::new()
            },
            self.title.clone(),
        ]
    }
}

/// Items with every dependency first; in JSON, their ids.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DependencyOrder {
    #[serde(serialize_with = "ids")]
    pub order: Vec<Step>,
    #[serde(serialize_with = "ids")]
    pub in_cycles: Vec<Step>,
}

fn ids<S: Serializer>(steps: &[Step], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(steps.iter().map(|x| &x.id))
}

#[derive(Debug, Clone, Serialize)]
pub struct Experiments {
    pub total: usize,
    pub concluded: usize,
    pub validated: usize,
    pub invalidated: usize,
    pub inconclusive: usize,
    /// Validated among concluded, three decimals.
    pub validation_rate: Option<f64>,
}

impl Row for Experiments {
    const HEADER: &'static [&'static str] = &[
        "experiments",
        "concluded",
        "validated",
        "invalidated",
        "inconclusive",
        "validation rate",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.total.to_string(),
            self.concluded.to_string(),
            self.validated.to_string(),
            self.invalidated.to_string(),
            self.inconclusive.to_string(),
            self.validation_rate
                .map_or("-".into(), |r| format!("{:.0}%", r * 100.0)),
        ]
    }
}

/// One item, whatever its status (`--format csv`).
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub id: String,
    pub status: String,
    pub horizon: Option<Horizon>,
    pub quarter: Option<Quarter>,
    pub item_type: Option<ItemType>,
    pub effort: Option<Points>,
    pub owner: Option<String>,
    pub depends_on: Vec<String>,
    pub title: String,
}

impl Row for RegisterRow {
    const HEADER: &'static [&'static str] = &[
        "id",
        "status",
        "horizon",
        "quarter",
        "type",
        "effort",
        "owner",
        "depends_on",
        "title",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.status.clone(),
            cell(self.horizon),
            cell(self.quarter),
            cell(self.item_type),
            cell(self.effort),
            cell(self.owner.as_ref()),
            self.depends_on.join(" "),
            self.title.clone(),
        ]
    }
}

/// The roadmap report; serialised, its `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapReport {
    pub board: Board,
    pub capacity: Vec<QuarterEffort>,
    pub order: DependencyOrder,
    pub experiments: Experiments,
    #[serde(skip)]
    pub register: Vec<RegisterRow>,
}

/// How much work [`dependency_order`] did: each item taken once, each dependency edge
/// followed once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub items: usize,
    pub edges: usize,
}

/// Items in an order that puts every dependency before what depends on it (Kahn's
/// algorithm, ties by id); items caught in a cycle, or waiting on one, come last.
/// Dropped items and dependencies on unknown ids do not count. `O(n log n + e)`: the
/// dependents of each item are indexed once.
pub fn dependency_order(corpus: &Corpus) -> (Vec<&Document>, Vec<&Document>, Work) {
    // By id, the last document of an id winning (as a map collected in path order).
    let mut slot: HashMap<&str, usize> = HashMap::new();
    let mut items: Vec<(&str, &Document)> = Vec::new();
    for d in corpus
        .of_kind(Kind::Roadmap)
        .filter(|d| !d.roadmap().is_some_and(|i| i.is(RoadmapStatus::Dropped)))
    {
        let Some(id) = d.id.as_deref() else { continue };
        match slot.get(id) {
            Some(&at) => items[at].1 = d,
            None => {
                slot.insert(id, items.len());
                items.push((id, d));
            }
        }
    }
    // Ties are broken by id: number the items in id order.
    items.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (n, (id, _)) in items.iter().enumerate() {
        slot.insert(id, n);
    }
    let mut waiting = vec![0usize; items.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (n, (_, d)) in items.iter().enumerate() {
        let Some(item) = d.roadmap() else { continue };
        let mut deps: Vec<usize> = item
            .depends_on
            .iter()
            .filter_map(|r| slot.get(r.id.as_str()).copied())
            .collect();
        // A dependency named twice is one dependency.
        deps.sort_unstable();
        deps.dedup();
        waiting[n] = deps.len();
        for dep in deps {
            dependents[dep].push(n);
        }
    }
    let mut ready: BTreeSet<usize> = (0..items.len()).filter(|&n| waiting[n] == 0).collect();
    let mut order = Vec::with_capacity(items.len());
    let mut work = Work::default();
    while let Some(n) = ready.pop_first() {
        work.items += 1;
        order.push(items[n].1);
        for &next in &dependents[n] {
            work.edges += 1;
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.insert(next);
            }
        }
    }
    let stuck = (0..items.len())
        .filter(|&n| waiting[n] > 0)
        .map(|n| items[n].1)
        .collect();
    (order, stuck, work)
}

pub fn report(corpus: &Corpus, ctx: &Context) -> RoadmapReport {
    let mut docs: Vec<&Document> = corpus.of_kind(Kind::Roadmap).collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));

    let mut board = Board::default();
    for &d in &docs {
        let column = match d.roadmap().and_then(|i| i.horizon) {
            Some(Horizon::Now) => &mut board.now,
            Some(Horizon::Next) => &mut board.next,
            Some(Horizon::Later) => &mut board.later,
            None => continue,
        };
        if live(d) {
            column.push(BoardItem::of(d));
        }
    }
    board.shipped = docs
        .iter()
        .filter(|d| d.roadmap().is_some_and(|i| i.is(RoadmapStatus::Shipped)))
        .map(|d| BoardItem::of(d))
        .collect();

    let by_quarter = effort_by_quarter(corpus);
    let mut quarters: BTreeSet<Quarter> = by_quarter.keys().copied().collect();
    quarters.extend(ctx.config.capacity.keys().copied());
    let capacity = quarters
        .into_iter()
        .map(|q| {
            let (effort, items) = by_quarter.get(&q).cloned().unwrap_or_default();
            let capacity = ctx.config.capacity.get(&q).copied();
            QuarterEffort {
                quarter: q,
                effort,
                capacity,
                over: capacity.is_some_and(|c| effort > c),
                items: items.iter().filter_map(|d| d.id.clone()).collect(),
            }
        })
        .collect();

    let (ordered, stuck, _) = dependency_order(corpus);
    let step = |position: Option<usize>, d: &Document| Step {
        position,
        id: d.id.clone().unwrap_or_default(),
        depends_on: depends_on(d),
        title: d.title_text().to_string(),
    };
    let order = DependencyOrder {
        order: ordered
            .iter()
            .enumerate()
            .map(|(n, d)| step(Some(n + 1), d))
            .collect(),
        in_cycles: stuck.iter().map(|d| step(None, d)).collect(),
    };

    let (mut total, mut validated, mut invalidated, mut inconclusive) = (0, 0, 0, 0);
    for i in docs.iter().filter_map(|d| d.roadmap()) {
        if i.item_type != Some(ItemType::Experiment) {
            continue;
        }
        total += 1;
        match i.outcome {
            Some(Outcome::Validated) => validated += 1,
            Some(Outcome::Invalidated) => invalidated += 1,
            Some(Outcome::Inconclusive) => inconclusive += 1,
            None => {}
        }
    }
    let concluded = validated + invalidated + inconclusive;
    let experiments = Experiments {
        total,
        concluded,
        validated,
        invalidated,
        inconclusive,
        validation_rate: ratio(validated, concluded),
    };

    let register = docs
        .iter()
        .filter_map(|d| {
            let i = d.roadmap()?;
            Some(RegisterRow {
                id: d.id.clone().unwrap_or_default(),
                status: d.status_value().to_string(),
                horizon: i.horizon,
                quarter: i.quarter,
                item_type: i.item_type,
                effort: i.effort.map(|e| e.0),
                owner: i.owner.clone(),
                depends_on: depends_on(d),
                title: d.title_text().to_string(),
            })
        })
        .collect();

    RoadmapReport {
        board,
        capacity,
        order,
        experiments,
        register,
    }
}

impl Report for RoadmapReport {
    fn title(&self) -> &'static str {
        "Roadmap"
    }

    fn sections(&self) -> Vec<Section> {
        let columns = self.board.columns();
        let depth = columns.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        let board_rows = (0..depth)
            .map(|r| {
                columns
                    .iter()
                    .map(|(_, c)| c.get(r).map_or(String::new(), BoardItem::card))
                    .collect()
            })
            .collect();
        let mut order = Section::table(
            "order",
            "Dependency order",
            TableView::of(self.order.order.iter().chain(&self.order.in_cycles)),
            "No items.",
        );
        if !self.order.in_cycles.is_empty() {
            order
                .notes
                .push("Items marked `cycle` depend on each other; see `cto lint` (CTO304).".into());
        }
        vec![
            Section::table(
                "board",
                "Now / Next / Later",
                TableView::new(&["Now", "Next", "Later"], board_rows),
                "No items on the board.",
            ),
            Section::table(
                "capacity",
                "Effort per quarter",
                TableView::of(&self.capacity),
                "No item has a quarter and an effort.",
            ),
            order,
            Section {
                key: "experiments",
                title: "Experiments".into(),
                tables: vec![TableView::of([&self.experiments])],
                notes: Vec::new(),
            },
        ]
    }

    fn csv(&self) -> TableView {
        TableView::of(&self.register)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::parse_document;
    use crate::source::Source;

    /// Roadmap item `n` (`RM-nnnn`), depending on the items `deps`.
    fn item(n: usize, deps: &[usize], config: &Config) -> Document {
        let deps: Vec<String> = deps.iter().map(|d| format!("RM-{d:04}")).collect();
        let text = format!(
            "---\ntitle: Item {n}\nowner: Team\nstatus: planned\nhorizon: later\n\
             depends_on: [{}]\n---\n\n# Item {n}\n\n## Outcome\n\nDone.\n",
            deps.join(", ")
        );
        parse_document(
            Kind::Roadmap,
            Source::new(format!("docs/roadmap/{n:04}-item-{n}.md"), text),
            &config.documents,
        )
    }

    fn corpus(items: impl IntoIterator<Item = (usize, Vec<usize>)>) -> Corpus {
        let config = Config::default();
        Corpus::new(
            items
                .into_iter()
                .map(|(n, deps)| item(n, &deps, &config))
                .collect(),
        )
    }

    fn ids(docs: &[&Document]) -> Vec<String> {
        docs.iter().filter_map(|d| d.id.clone()).collect()
    }

    const LARGE: usize = 20_000;

    #[test]
    fn a_long_chain_is_ordered_taking_each_item_and_each_edge_once() {
        // Item n depends on n - 1: one ready item at a time, the worst case for a search
        // of every item per step.
        let c = corpus((1..=LARGE).map(|n| (n, if n > 1 { vec![n - 1] } else { vec![] })));
        let (order, stuck, work) = dependency_order(&c);
        assert_eq!(order.len(), LARGE);
        assert!(stuck.is_empty());
        assert_eq!(order[0].id.as_deref(), Some("RM-0001"));
        assert_eq!(order[LARGE - 1].id, Some(format!("RM-{LARGE:04}")));
        assert_eq!(
            work,
            Work {
                items: LARGE,
                edges: LARGE - 1
            }
        );
    }

    #[test]
    fn a_fan_out_and_a_fan_in_are_linear_in_their_edges() {
        // Everything depends on item 1; the last item depends on everything else.
        let c = corpus((1..=LARGE).map(|n| match n {
            1 => (n, vec![]),
            LARGE => (n, (1..LARGE).collect()),
            _ => (n, vec![1]),
        }));
        let (order, stuck, work) = dependency_order(&c);
        assert!(stuck.is_empty());
        assert_eq!(order.len(), LARGE);
        assert_eq!(order[0].id.as_deref(), Some("RM-0001"));
        assert_eq!(order[LARGE - 1].id, Some(format!("RM-{LARGE:04}")));
        let edges = (LARGE - 2) + (LARGE - 1);
        assert_eq!(
            work,
            Work {
                items: LARGE,
                edges
            }
        );
    }

    #[test]
    fn ties_by_id_cycles_last_and_a_repeated_dependency_counts_once() {
        let c = corpus([
            (1, vec![]),
            (2, vec![1, 1]),
            (3, vec![4]),
            (4, vec![3]),
            (5, vec![4, 9999]),
            (6, vec![]),
        ]);
        let (order, stuck, work) = dependency_order(&c);
        assert_eq!(ids(&order), ["RM-0001", "RM-0002", "RM-0006"]);
        // Waiting on a cycle is stuck too; an unknown id does not count.
        assert_eq!(ids(&stuck), ["RM-0003", "RM-0004", "RM-0005"]);
        assert_eq!(work, Work { items: 3, edges: 1 });
    }

    #[test]
    fn the_report_lists_the_order_and_the_cycle() {
        let c = corpus([(1, vec![2]), (2, vec![]), (3, vec![3])]);
        let config = Config::default();
        let ctx = Context {
            config: &config,
            root: std::path::Path::new("."),
            today: jiff::civil::date(2027, 1, 1),
        };
        let r = report(&c, &ctx);
        let json = serde_json::to_value(&r.order).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"order": ["RM-0002", "RM-0001"], "in_cycles": ["RM-0003"]})
        );
        let table = TableView::of(r.order.order.iter().chain(&r.order.in_cycles));
        assert_eq!(table.header, ["#", "id", "depends on", "title"]);
        assert_eq!(
            table.rows,
            [
                ["1", "RM-0002", "", "Item 2"],
                ["2", "RM-0001", "RM-0002", "Item 1"],
                ["cycle", "RM-0003", "", "Item 3"],
            ]
        );
    }
}
