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

use crate::cli::{AuthKind, Cli};
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

/// The engine the command line names, if any.
pub fn from_cli(cli: &Cli) -> Result<Option<EndpointConfig>> {
    let mut profile = match &cli.profile {
        Some(name) => {
            let file = endpoints_file(cli.endpoints_file.as_deref())?;
            let mut profiles = read_profiles(&file)?;
            let Some(profile) = profiles.remove(name) else {
                let known: Vec<&String> = profiles.keys().collect();
                return Err(Error::invalid(format!(
                    "{}: no profile '{name}' (it has: {})",
                    file.display(),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                )));
            };
            if profile.query.is_none() && cli.endpoint.is_none() {
                return Err(Error::invalid(format!(
                    "{}: profile '{name}' has no `query` URL",
                    file.display()
                )));
            }
            profile
        }
        None if cli.endpoint.is_some() => Profile::default(),
        None => {
            let remote_only = [
                (cli.update_url.is_some(), "--update-url"),
                (cli.store_url.is_some(), "--store-url"),
                (cli.auth.is_some(), "--auth"),
                (cli.password_file.is_some(), "--password-file"),
                (cli.page_size.is_some(), "--page-size"),
                (cli.write_chunk.is_some(), "--write-chunk"),
                (cli.endpoint_timeout.is_some(), "--endpoint-timeout"),
            ];
            if let Some((_, flag)) = remote_only.iter().find(|(given, _)| *given) {
                return Err(Error::invalid(format!(
                    "{flag} is for a remote engine: give --endpoint URL or --profile NAME too"
                )));
            }
            return Ok(None);
        }
    };
    // The flags override the profile.
    override_with(&mut profile.query, &cli.endpoint);
    override_with(&mut profile.update, &cli.update_url);
    override_with(&mut profile.store, &cli.store_url);
    override_with(&mut profile.auth, &cli.auth);
    override_with(&mut profile.user, &cli.user);
    override_with(&mut profile.password_file, &cli.password_file);
    override_with(&mut profile.timeout, &cli.endpoint_timeout);
    override_with(&mut profile.page_size, &cli.page_size);
    override_with(&mut profile.write_chunk, &cli.write_chunk);
    to_config(profile).map(Some)
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
        message: e.to_string(),
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
