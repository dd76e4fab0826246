//! Every kind of `Kind::ALL` works end to end with nothing but its module, its template
//! and its command: the steps of CONTRIBUTING's "Adding a kind", held by a test.

mod support;

use cto::model::Kind;
use support::Repo;

#[test]
fn every_kind_has_its_commands_schema_template_and_reader() {
    for kind in Kind::ALL {
        let spec = kind.spec();
        let repo = Repo::git();
        let name = spec.name;

        // The command exists (step 5) and answers for its plural too.
        for word in [spec.name, spec.plural] {
            let help = repo.cto(&[word, "--help"]);
            assert_eq!(help.code, 0, "cto {word} --help: {}", help.stderr);
        }
        // The JSON Schema comes from the spec's fields (steps 1–2).
        let schema = repo.cto(&["schema", name]);
        assert_eq!(schema.code, 0, "cto schema {name}: {}", schema.stderr);
        let schema = schema.json();
        for field in spec.fields.iter().filter(|f| f.required) {
            assert!(
                schema["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|v| v == field.name)),
                "{name}: `{}` required in the schema",
                field.name
            );
        }

        // `new` writes the template (step 4) in the kind's directory, with its initial
        // status; the reader (step 2) reads it back; `list` shows it in its columns.
        let title = "Kinds are modules";
        let new = repo.cto(&[name, "new", title]);
        assert_eq!(new.code, 0, "cto {name} new: {}{}", new.stdout, new.stderr);
        let path = new.stdout.trim().to_string();
        assert!(
            path.starts_with(spec.default_dir),
            "{name}: `{path}` in {}",
            spec.default_dir
        );
        let list = repo.cto(&[name, "list", "--format", "json"]);
        assert_eq!(list.code, 0, "cto {name} list: {}", list.stderr);
        let rows = list.json();
        let row = &rows[0];
        assert_eq!(row["kind"], name);
        assert_eq!(row["title"], title, "{name}: {row}");
        assert_eq!(row["status"], spec.initial_status, "{name}: {row}");
        assert_eq!(row["path"], path.as_str());

        let table = repo.cto(&[name, "list", "--format", "csv"]);
        let header = table.stdout.lines().next().unwrap_or_default().to_string();
        assert_eq!(header, spec.columns.join(","), "{name}: list columns");
        let cells = table.stdout.lines().nth(1).unwrap_or_default().to_string();
        assert!(cells.ends_with(title), "{name}: title last in `{cells}`");

        // A new document passes lint's file and front-matter layer, but for the required
        // values the author fills in (an SLO's service).
        let lint = repo.cto(&["lint", "--format", "json"]);
        let file_errors: Vec<String> = lint.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                d["code"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("CTO1") && c != "CTO105")
            })
            .map(|d| d.to_string())
            .collect();
        assert!(file_errors.is_empty(), "{name}: {file_errors:?}");

        // Every status of the spec can be reached from the initial one or is initial,
        // and every transition names statuses of the spec.
        for (from, tos) in spec.transitions {
            assert!(
                spec.statuses.contains(from),
                "{name}: transition from `{from}`"
            );
            for to in *tos {
                assert!(spec.statuses.contains(to), "{name}: transition to `{to}`");
            }
        }
    }
}
