//! `user` and `token`: accounts for the dashboard and API tokens, kept in the store (passwords
//! as argon2id hashes, tokens as BLAKE3 hashes; neither can be read back).

use std::io::{BufRead, Write};

use ingest::store::{AuditAction, Store, UserRole};

use crate::cli::{Global, TokenCommand, UserAddArgs, UserCommand};
use crate::web::auth;

/// Shortest password accepted (the same rule as the admin page).
const MIN_PASSWORD: usize = crate::web::pages::MIN_PASSWORD;

pub fn user(global: &Global, command: &UserCommand) -> anyhow::Result<()> {
    let mut store = super::ingest_files::open_store(&global.store)?;
    match command {
        UserCommand::Add(args) => add(global, &mut store, args),
        UserCommand::List { json } => list(&store, *json),
        UserCommand::Disable { name } => {
            store.set_user_disabled(name, true)?;
            store.audit(
                &super::actor(),
                AuditAction::AccountDisabled,
                serde_json::json!({"name": name}),
            )?;
            println!("{name}: disabled; its sessions and API tokens no longer work");
            Ok(())
        }
        UserCommand::Enable { name } => {
            store.set_user_disabled(name, false)?;
            store.audit(
                &super::actor(),
                AuditAction::AccountEnabled,
                serde_json::json!({"name": name}),
            )?;
            println!("{name}: enabled");
            Ok(())
        }
        UserCommand::Password {
            name,
            password_stdin,
        } => {
            let (password, generated) = password(*password_stdin)?;
            store.set_password(name, &auth::hash_password(&password).map_err(anyhow_of)?)?;
            store.audit(
                &super::actor(),
                AuditAction::PasswordChanged,
                serde_json::json!({"name": name}),
            )?;
            if generated {
                println!("{name}: new password {password}");
            } else {
                println!("{name}: password changed");
            }
            Ok(())
        }
    }
}

fn anyhow_of(e: crate::web::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The password from stdin, or a generated one (and whether it was generated).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        // 20 characters from the token alphabet: about 80 bits.
        return Ok((auth::new_token()[..20].to_owned(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if !auth::password_acceptable(&password) {
        return Err(super::UsageError(format!(
            "the password must have at least {MIN_PASSWORD} characters besides leading and trailing spaces, at least five of them different"
        ))
        .into());
    }
    Ok((password, false))
}

/// Adds an account (shared with `demo`).
pub fn add_account(
    global: &Global,
    store: &mut Store,
    name: &str,
    role: &str,
    region: Option<&str>,
    password: &str,
) -> anyhow::Result<UserRole> {
    let role = UserRole::parse(role).ok_or_else(|| {
        super::UsageError(format!(
            "unknown role {role:?}; use beheerder, landelijk, programmaleider or invoerder"
        ))
    })?;
    let region = match region {
        Some(r) => Some(super::analysis_commands::region(global, r)?),
        None => None,
    };
    if role == UserRole::Programmaleider && region.is_none() {
        return Err(super::UsageError(
            "a programme leader is bound to one region: give --region".into(),
        )
        .into());
    }
    let hash = auth::hash_password(password).map_err(anyhow_of)?;
    store
        .add_user(name, role, region.as_deref(), &hash)
        .map_err(|e| super::UsageError(e.to_string()))?;
    store.audit(
        &super::actor(),
        AuditAction::AccountAdded,
        serde_json::json!({"name": name.trim(), "role": role.as_str(), "region": region}),
    )?;
    Ok(role)
}

fn add(global: &Global, store: &mut Store, args: &UserAddArgs) -> anyhow::Result<()> {
    let (password, generated) = password(args.password_stdin)?;
    let role = add_account(
        global,
        store,
        &args.name,
        &args.role,
        args.region.as_deref(),
        &password,
    )?;
    print!("added {} ({role})", args.name);
    if generated {
        print!(" with password {password} — pass it on safely; it is not shown again");
    }
    println!();
    Ok(())
}

fn list(store: &Store, json: bool) -> anyhow::Result<()> {
    let users = store.users()?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&users)?)?;
        return Ok(());
    }
    if users.is_empty() {
        writeln!(
            out,
            "no accounts yet; add one with `signaalradar user add NAME --role beheerder`"
        )?;
    }
    for u in users {
        writeln!(
            out,
            "{:<20} {:<16} {:<24} {}",
            u.name,
            u.role.as_str(),
            u.region.as_deref().unwrap_or("-"),
            if u.disabled { "disabled" } else { "active" }
        )?;
    }
    Ok(())
}

pub fn token(global: &Global, command: &TokenCommand) -> anyhow::Result<()> {
    let mut store = super::ingest_files::open_store(&global.store)?;
    match command {
        TokenCommand::Add { user, label } => {
            let token = auth::new_token();
            let owner = store
                .add_api_token(user, label, &auth::token_hash(&token))
                .map_err(|e| super::UsageError(e.to_string()))?;
            store.audit(
                &super::actor(),
                AuditAction::TokenAdded,
                serde_json::json!({"user": owner.name, "label": label}),
            )?;
            println!(
                "API token for {} ({}): {token}\nsend it as `Authorization: Bearer {token}`; it is stored only as a hash and not shown again",
                owner.name, owner.role
            );
            Ok(())
        }
    }
}
