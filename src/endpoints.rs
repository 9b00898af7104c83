//! Which remote engine a command works against: `--endpoint URL`, or a profile of
//! the endpoints file, with the flags overriding a profile's fields.
//!
//! The endpoints file is YAML, one profile per top-level key:
//!
//! ```yaml
//! virtuoso:
//!   query: http://127.0.0.1:8890/sparql
//!   update: http://127.0.0.1:8890/sparql-auth
//!   store: http://127.0.0.1:8890/sparql-graph-crud-auth
//!   auth: digest            # none, basic, digest or bearer
//!   user: dba
//!   password-env: VIRTUOSO_PASSWORD   # or password-file: secret.txt
//!   timeout: 300            # seconds to wait for each answer
//!   page-size: 10000        # fetch SELECT answers in pages of this many rows
//!   write-chunk: 10000      # triples per write request
//! ```

use crate::error::{Error, Position, Result};
use crate::store::remote::{Auth, EndpointConfig};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable a password or token may come from.
pub const PASSWORD_ENV: &str = "CREDGRAPH_ENDPOINT_PASSWORD";

/// One profile of the endpoints file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    pub query: Option<String>,
    pub update: Option<String>,
    pub store: Option<String>,
    pub auth: Option<AuthKind>,
    pub user: Option<String>,
    pub password_file: Option<PathBuf>,
    pub password_env: Option<String>,
    pub timeout: Option<u64>,
    pub connect_timeout: Option<u64>,
    pub page_size: Option<u64>,
    pub write_chunk: Option<usize>,
    pub retries: Option<u32>,
}

/// How requests to a remote engine authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthKind {
    None,
    Basic,
    Digest,
    Bearer,
}

/// The engine named by a profile of the endpoints file (`profile`, read from
/// `endpoints_file` or the usual places), by the query URL of `flags`, or both: the
/// fields `flags` gives override the profile's. `None` when neither names one.
pub fn resolve(
    profile: Option<&str>,
    endpoints_file: Option<&Path>,
    flags: Profile,
) -> Result<Option<EndpointConfig>> {
    let mut chosen = match profile {
        Some(name) => {
            let file = self::endpoints_file(endpoints_file)?;
            let mut profiles = read_profiles(&file)?;
            let Some(profile) = profiles.remove(name) else {
                let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
                return Err(Error::invalid(format!(
                    "{}: no profile '{name}' (it has: {})",
                    file.display(),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            if profile.query.is_none() && flags.query.is_none() {
                return Err(Error::invalid(format!(
                    "{}: profile '{name}' has no `query` URL",
                    file.display()
                )));
            }
            profile
        }
        None if flags.query.is_some() => Profile::default(),
        None => return Ok(None),
    };
    override_with(&mut chosen.query, &flags.query);
    override_with(&mut chosen.update, &flags.update);
    override_with(&mut chosen.store, &flags.store);
    override_with(&mut chosen.auth, &flags.auth);
    override_with(&mut chosen.user, &flags.user);
    override_with(&mut chosen.password_file, &flags.password_file);
    override_with(&mut chosen.timeout, &flags.timeout);
    override_with(&mut chosen.page_size, &flags.page_size);
    override_with(&mut chosen.write_chunk, &flags.write_chunk);
    to_config(chosen).map(Some)
}

fn override_with<T: Clone>(field: &mut Option<T>, flag: &Option<T>) {
    if flag.is_some() {
        field.clone_from(flag);
    }
}

fn to_config(profile: Profile) -> Result<EndpointConfig> {
    let query = profile
        .query
        .ok_or_else(|| Error::invalid("a remote engine needs a query URL"))?;
    let mut config = EndpointConfig::new(&query);
    if let Some(update) = profile.update {
        config.update = update;
    }
    config.store = profile.store;
    if let Some(seconds) = profile.timeout {
        config.timeout = Duration::from_secs(seconds.max(1));
    }
    if let Some(seconds) = profile.connect_timeout {
        config.connect_timeout = Duration::from_secs(seconds.max(1));
    }
    config.page_size = profile.page_size.filter(|size| *size > 0);
    if let Some(chunk) = profile.write_chunk {
        config.chunk = chunk.max(1);
    }
    if let Some(retries) = profile.retries {
        config.retries = retries;
    }
    let secret = || -> Result<String> {
        if let Some(file) = &profile.password_file {
            let text = std::fs::read_to_string(file).map_err(|e| Error::file(file, e))?;
            let line = text.lines().next().unwrap_or("").trim().to_string();
            if line.is_empty() {
                return Err(Error::invalid(format!(
                    "{}: the password file is empty",
                    file.display()
                )));
            }
            return Ok(line);
        }
        let variable = profile.password_env.as_deref().unwrap_or(PASSWORD_ENV);
        match std::env::var(variable) {
            Ok(value) if !value.is_empty() => Ok(value),
            _ => Err(Error::invalid(format!(
                "the engine's password or token is missing: put it in a file given by --password-file (or `password-file` in the profile), or in the environment variable {variable}"
            ))),
        }
    };
    let user = || {
        profile.user.clone().ok_or_else(|| {
            Error::invalid("basic and digest authentication need a user name (--user or `user` in the profile)")
        })
    };
    config.auth = match profile.auth {
        None | Some(AuthKind::None) => Auth::None,
        Some(AuthKind::Basic) => Auth::Basic {
            user: user()?,
            password: secret()?,
        },
        Some(AuthKind::Digest) => Auth::Digest {
            user: user()?,
            password: secret()?,
        },
        Some(AuthKind::Bearer) => Auth::Bearer(secret()?),
    };
    Ok(config)
}

/// The endpoints file: the one given, else `./credgraph-endpoints.yaml`, else
/// `~/.config/credgraph/endpoints.yaml` (`$XDG_CONFIG_HOME` when set).
fn endpoints_file(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(file) = given {
        return Ok(file.to_path_buf());
    }
    let local = PathBuf::from("credgraph-endpoints.yaml");
    if local.exists() {
        return Ok(local);
    }
    let config_home = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")));
    if let Some(home) = config_home {
        let file = home.join("credgraph").join("endpoints.yaml");
        if file.exists() {
            return Ok(file);
        }
    }
    Err(Error::invalid(
        "--profile needs an endpoints file: give --endpoints-file FILE, or write ./credgraph-endpoints.yaml or ~/.config/credgraph/endpoints.yaml (see the README)",
    ))
}

/// Reads the profiles of an endpoints file; a mistake is reported with its line
/// and column.
pub fn read_profiles(file: &Path) -> Result<BTreeMap<String, Profile>> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::file(file, e))?;
    serde_norway::from_str(&text).map_err(|e| Error::Syntax {
        path: file.to_path_buf(),
        position: e.location().map(|l| Position {
            line: l.line() as u64,
            column: l.column() as u64,
        }),
        message: crate::error::parser_message(&e.to_string()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_names_its_urls_and_authentication() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("endpoints.yaml");
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "s3cret\n").unwrap();
        std::fs::write(
            &file,
            format!(
                "virtuoso:\n  query: http://127.0.0.1:8890/sparql\n  store: http://127.0.0.1:8890/sparql-graph-crud-auth\n  auth: digest\n  user: dba\n  password-file: {}\n  page-size: 5000\n",
                secret.display()
            ),
        )
        .unwrap();
        let profile = read_profiles(&file).unwrap().remove("virtuoso").unwrap();
        let config = to_config(profile).unwrap();
        assert_eq!(config.update, "http://127.0.0.1:8890/sparql");
        assert_eq!(
            config.store.as_deref(),
            Some("http://127.0.0.1:8890/sparql-graph-crud-auth")
        );
        assert_eq!(config.page_size, Some(5000));
        assert_eq!(
            config.auth,
            Auth::Digest {
                user: "dba".into(),
                password: "s3cret".into()
            }
        );
    }

    #[test]
    fn an_unknown_field_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("endpoints.yaml");
        std::fs::write(&file, "fuseki:\n  query: http://x/q\n  pasword: oops\n").unwrap();
        let error = read_profiles(&file).unwrap_err().to_string();
        assert!(error.contains("endpoints.yaml:3:"), "{error}");
        assert!(error.contains("pasword"), "{error}");
    }
}
