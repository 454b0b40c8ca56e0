//! `plantrack user add|passwd|list`: accounts of the web app. The first admin is made here, on
//! the machine that holds the database; passwords are read from standard input (one line) or
//! PLANTRACK_PASSWORD, never from the command line where other users could see them.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use plantrack_store::Store;

use crate::UsageError;
use crate::ledger::runtime;

fn read_password() -> anyhow::Result<String> {
    let pw = match std::env::var("PLANTRACK_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprint!("password: ");
            }
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if pw.chars().count() < 8 {
        return Err(UsageError("a password needs at least 8 characters".into()).into());
    }
    Ok(pw)
}

/// Refuses units no responsibility table of the database names, unless `force`: a unit spelled
/// differently from the tables (`发改委` for `市发展改革委`) would bind a reporter to no task.
async fn check_units(store: &Store, units: &[String], force: bool) -> anyhow::Result<()> {
    let mut unknown = Vec::new();
    for u in units {
        if !store.unit_is_named(u).await? {
            unknown.push(u.as_str());
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    if force {
        eprintln!(
            "plantrack: warning: no responsibility table names {}; bound anyway (--force)",
            unknown.join("、")
        );
        return Ok(());
    }
    Err(UsageError(format!(
        "--unit {}: no responsibility table in the database names this unit (check its spelling \
         against `plantrack tasks`), or add --force to bind it before its table is ingested",
        unknown.join("、")
    ))
    .into())
}

fn open(db: &str) -> anyhow::Result<(tokio::runtime::Runtime, Store)> {
    let rt = runtime()?;
    let store = rt.block_on(async {
        anyhow::Ok(
            Store::open(db)
                .await
                .context("opening the database")?
                .with_units(crate::extract::unit_names(None)?),
        )
    })?;
    Ok((rt, store))
}

pub fn add(
    db: &str,
    name: &str,
    role: &str,
    units: &[String],
    force: bool,
) -> anyhow::Result<ExitCode> {
    if !plantrack_web::auth::ROLES.contains(&role) {
        return Err(UsageError(format!(
            "--role {role}: one of {}",
            plantrack_web::auth::ROLES.join(", ")
        ))
        .into());
    }
    if role == "reporter" && units.is_empty() {
        return Err(UsageError("a reporter reports for at least one --unit".into()).into());
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.contains(char::is_whitespace) {
        return Err(
            UsageError(format!("{name:?}: a name of 1 to 64 characters, no spaces")).into(),
        );
    }
    let (rt, store) = open(db)?;
    rt.block_on(check_units(&store, units, force))?;
    let hash = plantrack_web::auth::hash_password(&read_password()?);
    rt.block_on(async {
        let added = store.add_user(name, &hash, role, units, "cli").await?;
        store.close().await;
        match added {
            Some(_) => {
                println!("user {name} added ({role})");
                Ok(ExitCode::SUCCESS)
            }
            None => Err(UsageError(format!("user {name} exists already")).into()),
        }
    })
}

pub fn passwd(db: &str, name: &str) -> anyhow::Result<ExitCode> {
    let hash = plantrack_web::auth::hash_password(&read_password()?);
    runtime()?.block_on(async {
        let store = Store::open(db).await.context("opening the database")?;
        let done = store.set_password(name, &hash, "cli").await?;
        store.close().await;
        if done {
            println!("password of {name} changed; their sessions are ended");
            Ok(ExitCode::SUCCESS)
        } else {
            Err(UsageError(format!("no user {name}")).into())
        }
    })
}

pub fn list(db: &str) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Store::open(db).await.context("opening the database")?;
        let users = store.accounts().await?;
        store.close().await;
        let mut out = std::io::stdout().lock();
        for u in &users {
            let state = if u.disabled { "\tdisabled" } else { "" };
            writeln!(out, "{}\t{}\t{}{state}", u.name, u.role, u.units.join("、"))?;
        }
        if users.is_empty() {
            writeln!(out, "no users yet: plantrack user add NAME --role admin")?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn set_disabled(db: &str, name: &str, disabled: bool) -> anyhow::Result<ExitCode> {
    let (rt, store) = open(db)?;
    rt.block_on(async {
        let done = store.set_user_disabled(name, disabled, "cli").await?;
        store.close().await;
        if !done {
            return Err(UsageError(format!("no user {name}")).into());
        }
        if disabled {
            println!("user {name} disabled; their sessions are ended");
        } else {
            println!("user {name} enabled");
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn units(db: &str, name: &str, units: &[String], force: bool) -> anyhow::Result<ExitCode> {
    let (rt, store) = open(db)?;
    rt.block_on(async {
        check_units(&store, units, force).await?;
        let done = store.set_user_units(name, units, "cli").await?;
        let account = store.account(name).await?;
        store.close().await;
        if !done {
            return Err(UsageError(format!("no user {name}")).into());
        }
        println!(
            "user {name} reports for {}",
            account.map(|a| a.units.join("、")).unwrap_or_default()
        );
        Ok(ExitCode::SUCCESS)
    })
}
