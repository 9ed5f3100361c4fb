//! `user` and `token`: accounts and API tokens on the command line.

use crate::helpers::{Sandbox, fails_with, json, root, succeed};

#[test]
fn accounts_are_added_listed_disabled_and_given_tokens() {
    let sandbox = Sandbox::new();
    let added = succeed(sandbox.cmd().args([
        "user",
        "add",
        "pl-twente",
        "--role",
        "programmaleider",
        "--region",
        "twente zuid",
    ]));
    let out = String::from_utf8_lossy(&added.stdout);
    assert!(out.contains("with password "), "{out}");
    let listed = json(succeed(sandbox.cmd().args(["user", "list", "--json"])));
    assert_eq!(listed[0]["name"], "pl-twente");
    assert_eq!(listed[0]["role"], "programmaleider");
    assert_eq!(
        listed[0]["region"], "Twente Zuid",
        "aliases resolve to the canonical name"
    );
    // A password is stored as an argon2id hash only.
    let hash: String = sandbox
        .db()
        .query_row("SELECT password_hash FROM users", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(!out.contains(&hash));

    let token =
        succeed(
            sandbox
                .cmd()
                .args(["token", "add", "--user", "pl-twente", "--label", "test"]),
        );
    let token = String::from_utf8_lossy(&token.stdout).to_string();
    let value = token
        .split_whitespace()
        .find(|w| w.len() == 64)
        .expect("a token");
    let stored: Vec<u8> = sandbox
        .db()
        .query_row("SELECT token_hash FROM api_tokens", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, value.as_bytes(), "only the hash is stored");

    succeed(sandbox.cmd().args(["user", "disable", "pl-twente"]));
    let listed = json(succeed(sandbox.cmd().args(["user", "list", "--json"])));
    assert_eq!(listed[0]["disabled"], true);
    assert_eq!(
        sandbox.count("api_tokens"),
        0,
        "disabling revokes the tokens"
    );
}

#[test]
fn account_mistakes_are_explained() {
    let sandbox = Sandbox::new();
    fails_with(
        sandbox
            .cmd()
            .args(["user", "add", "x", "--role", "programmaleider"]),
        "give --region",
    );
    fails_with(
        sandbox.cmd().args(["user", "add", "x", "--role", "baas"]),
        "unknown role",
    );
    fails_with(
        sandbox
            .cmd()
            .args([
                "user",
                "add",
                "x",
                "--role",
                "landelijk",
                "--password-stdin",
            ])
            .write_stdin("kort\n"),
        "at least 10 characters",
    );
    succeed(
        sandbox
            .cmd()
            .args(["user", "add", "x", "--role", "landelijk"]),
    );
    fails_with(
        sandbox
            .cmd()
            .args(["user", "add", "X", "--role", "invoerder"]),
        "exists already",
    );
    fails_with(
        sandbox.cmd().args(["token", "add", "--user", "nobody"]),
        "no user named",
    );
}

/// `signaalradar audit` lists what was done from the command line too: ingest, accounts,
/// tokens, exports; `--since` filters, `--json` is machine-readable, and no item text appears.
#[test]
fn the_audit_command_lists_command_line_actions() {
    let sandbox = Sandbox::new();
    sandbox.ingest_json(&[&root().join("data/sample/sessies.jsonl")]);
    succeed(
        sandbox
            .cmd()
            .args(["user", "add", "nina", "--role", "landelijk"]),
    );
    succeed(
        sandbox
            .cmd()
            .args(["token", "add", "--user", "nina", "--label", "script"]),
    );
    succeed(sandbox.cmd().args(["user", "disable", "nina"]));
    succeed(
        sandbox
            .cmd()
            .args(["export", "--format", "csv", "--out"])
            .arg(sandbox.path("export.csv")),
    );
    let output = succeed(sandbox.cmd().args(["audit", "--json"]));
    let entries: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let actions: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "ingest",
            "taxonomy_changed",
            "account_added",
            "token_added",
            "account_disabled",
            "export"
        ],
        "{entries}"
    );
    assert!(entries[0]["actor"].as_str().unwrap().starts_with("cli:"));
    assert!(entries[5]["detail"]["items"].as_u64().unwrap() > 0);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("docent"), "item text in the audit log");
    let later = succeed(sandbox.cmd().args(["audit", "--since", "2999-01-01"]));
    assert!(String::from_utf8_lossy(&later.stdout).contains("no lines since"));
    // The log cannot be changed through the database either.
    let refused = sandbox.db().execute("DELETE FROM audit_log", []);
    assert!(refused.unwrap_err().to_string().contains("append-only"));
}
