//! A client for Prometheus' instant-query API: bounded in time and size, and reading
//! every answer as hostile (wrong shapes, NaN, huge bodies, odd label values).

use std::time::Duration;

use crate::report::escape::visible;

/// The largest answer read: an instant query for one series is a few hundred bytes.
pub const MAX_BODY_BYTES: u64 = 1 << 20;
/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a query gave no number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("cannot reach Prometheus: {0}")]
    Unreachable(String),
    #[error(
        "the TLS connection to Prometheus failed: {0} (is its certificate signed by a CA this system trusts? `SSL_CERT_FILE` can name another CA file)"
    )]
    Tls(String),
    #[error("Prometheus did not answer within {0} s")]
    Timeout(u64),
    #[error("Prometheus answered HTTP {status}: {message}")]
    Http { status: u16, message: String },
    #[error("Prometheus' answer is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    #[error("Prometheus' answer is not what its query API returns: {0}")]
    Malformed(String),
    #[error("Prometheus refused the query ({kind}): {message}")]
    Refused { kind: String, message: String },
    #[error("the query returns no data")]
    NoData,
    #[error("the query returns {count} series ({first}…); it must return one (wrap it in sum())")]
    ManySeries { count: usize, first: String },
    #[error("the query returns {0}, not a finite number")]
    NotFinite(String),
}

/// A Prometheus server.
#[derive(Debug)]
pub struct Prometheus {
    endpoint: String,
    agent: ureq::Agent,
    timeout: Duration,
    /// Whether the URL is https (a refused handshake is then said to be one).
    tls: bool,
}

impl Prometheus {
    /// A client for the server at `base` (e.g. `http://127.0.0.1:9090`, or a path prefix
    /// like `http://host/prometheus`); `Err` says why the URL cannot be used.
    pub fn new(base: &str, timeout: Duration) -> Result<Prometheus, String> {
        let base = base.trim().trim_end_matches('/');
        let Some(rest) = base
            .strip_prefix("http://")
            .or_else(|| base.strip_prefix("https://"))
        else {
            return Err(format!(
                "`{}` is not an http:// or https:// URL",
                visible(base)
            ));
        };
        if rest.is_empty()
            || rest.starts_with('/')
            || base.chars().any(|c| c.is_control() || c == ' ')
        {
            return Err(format!("`{}` names no host", visible(base)));
        }
        // https: the certificate is checked against the system's trust store (where a
        // company's own CA is installed; `SSL_CERT_FILE` names another), see ADR 0024.
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .build();
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT.min(timeout)))
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .tls_config(tls)
            .user_agent(concat!("cto/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Prometheus {
            endpoint: format!("{base}/api/v1/query"),
            agent: config.into(),
            timeout,
            tls: base.starts_with("https://"),
        })
    }

    /// The value of `query` at `time` (Unix seconds): one series or a scalar, finite.
    pub fn instant(&self, query: &str, time: i64) -> Result<f64, QueryError> {
        let response = self
            .agent
            .get(&self.endpoint)
            .query("query", query)
            .query("time", time.to_string())
            .query("timeout", format!("{}s", self.timeout.as_secs().max(1)))
            .call();
        let mut response = match response {
            Ok(r) => r,
            Err(e) => return Err(self.transport(e)),
        };
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => QueryError::TooLarge,
                other => self.transport(other),
            })?;
        parse_instant(status, &body)
    }

    fn transport(&self, e: ureq::Error) -> QueryError {
        match e {
            ureq::Error::Timeout(_) => QueryError::Timeout(self.timeout.as_secs()),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                QueryError::Timeout(self.timeout.as_secs())
            }
            // rustls reports a refused certificate or handshake as invalid data.
            ureq::Error::Io(io) if self.tls && io.kind() == std::io::ErrorKind::InvalidData => {
                QueryError::Tls(visible(&io.to_string()).into_owned())
            }
            ureq::Error::Tls(m) => QueryError::Tls(visible(m).into_owned()),
            other => QueryError::Unreachable(visible(&other.to_string()).into_owned()),
        }
    }
}

/// At most this many characters of a message from the server are shown.
const MAX_MESSAGE_CHARS: usize = 300;

fn shown(text: &str) -> String {
    let cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    let more = if text.chars().count() > MAX_MESSAGE_CHARS {
        "…"
    } else {
        ""
    };
    format!("{}{more}", visible(&cut))
}

/// The sample value of an answer: `[time, "value"]`.
fn sample_value(sample: &serde_json::Value) -> Result<f64, QueryError> {
    let text = sample
        .as_array()
        .filter(|a| a.len() == 2)
        .and_then(|a| a[1].as_str())
        .ok_or_else(|| QueryError::Malformed("a sample is not `[time, \"value\"]`".into()))?;
    let value: f64 = text.trim().parse().map_err(|_| {
        QueryError::Malformed(format!("the value `{}` is not a number", shown(text)))
    })?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(QueryError::NotFinite(shown(text)))
    }
}

/// The labels of a series, as PromQL writes them (escaped for the terminal).
fn labels(series: &serde_json::Value) -> String {
    let Some(metric) = series.get("metric").and_then(|m| m.as_object()) else {
        return "{}".into();
    };
    let parts: Vec<String> = metric
        .iter()
        .take(8)
        .map(|(k, v)| format!("{}={:?}", shown(k), shown(v.as_str().unwrap_or(""))))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// An answer of `/api/v1/query` (its HTTP status and body) as one finite number.
pub fn parse_instant(status: u16, body: &[u8]) -> Result<f64, QueryError> {
    let json: serde_json::Value = match serde_json::from_slice(body) {
        Ok(j) => j,
        Err(e) if (200..300).contains(&status) => {
            return Err(QueryError::Malformed(format!("not JSON ({e})")));
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            return Err(QueryError::Http {
                status,
                message: shown(text.trim()),
            });
        }
    };
    if json.get("status").and_then(|s| s.as_str()) == Some("error") {
        let field = |k: &str| json.get(k).and_then(|v| v.as_str()).unwrap_or("");
        return Err(QueryError::Refused {
            kind: shown(field("errorType")),
            message: shown(field("error")),
        });
    }
    if !(200..300).contains(&status) {
        return Err(QueryError::Http {
            status,
            message: "an answer without an error".into(),
        });
    }
    if json.get("status").and_then(|s| s.as_str()) != Some("success") {
        return Err(QueryError::Malformed("no `\"status\": \"success\"`".into()));
    }
    let data = json
        .get("data")
        .ok_or_else(|| QueryError::Malformed("no `data`".into()))?;
    let result = data
        .get("result")
        .ok_or_else(|| QueryError::Malformed("no `data.result`".into()))?;
    match data.get("resultType").and_then(|t| t.as_str()) {
        Some("scalar") => sample_value(result),
        Some("vector") => {
            let series = result
                .as_array()
                .ok_or_else(|| QueryError::Malformed("`data.result` is not a list".into()))?;
            match series.as_slice() {
                [] => Err(QueryError::NoData),
                [one] => sample_value(
                    one.get("value")
                        .ok_or_else(|| QueryError::Malformed("a series without `value`".into()))?,
                ),
                many => Err(QueryError::ManySeries {
                    count: many.len(),
                    first: labels(&many[0]),
                }),
            }
        }
        Some("matrix") => Err(QueryError::Malformed(
            "the query returns a range vector (`x[5m]`); an SLI query needs an instant value, e.g. `sum(rate(x[5m]))`".into(),
        )),
        Some(other) => Err(QueryError::Malformed(format!(
            "the query returns a {}, not a number",
            shown(other)
        ))),
        None => Err(QueryError::Malformed("no `data.resultType`".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> Result<f64, QueryError> {
        parse_instant(200, body.as_bytes())
    }

    #[test]
    fn one_series_or_a_scalar_is_a_number() {
        assert_eq!(
            ok(
                r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.5,"0.25"]}]}}"#
            ),
            Ok(0.25)
        );
        assert_eq!(
            ok(r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"3"]}}"#),
            Ok(3.0)
        );
    }

    #[test]
    fn hostile_answers_are_named_never_numbers() {
        let vector = |v: &str| {
            format!(
                r#"{{"status":"success","data":{{"resultType":"vector","result":[{{"metric":{{}},"value":[1,"{v}"]}}]}}}}"#
            )
        };
        assert_eq!(ok(&vector("NaN")), Err(QueryError::NotFinite("NaN".into())));
        assert_eq!(
            ok(&vector("+Inf")),
            Err(QueryError::NotFinite("+Inf".into()))
        );
        assert_eq!(
            ok(&vector("-Inf")),
            Err(QueryError::NotFinite("-Inf".into()))
        );
        assert!(matches!(
            ok(&vector("12abc")),
            Err(QueryError::Malformed(_))
        ));
        assert_eq!(
            ok(r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#),
            Err(QueryError::NoData)
        );
        let two = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a\u001b[31m"},"value":[1,"1"]},{"metric":{},"value":[1,"2"]}]}}"#;
        match ok(two) {
            Err(e @ QueryError::ManySeries { count: 2, .. }) => {
                let text = e.to_string();
                assert!(
                    !text.contains('\u{1b}') && text.contains("\\\\u{1b}"),
                    "{text}"
                );
            }
            other => panic!("{other:?}"),
        }
        for body in [
            "",
            "null",
            "[]",
            r#"{"status":"success"}"#,
            r#"{"status":"success","data":{"resultType":"vector","result":{}}}"#,
            r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{}}]}}"#,
            r#"{"status":"success","data":{"resultType":"vector","result":[{"value":[1]}]}}"#,
            r#"{"status":"success","data":{"resultType":"vector","result":[{"value":[1,2]}]}}"#,
            r#"{"status":"success","data":{"resultType":"string","result":[1,"x"]}}"#,
            r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
            r#"{"status":"success","data":{"result":[]}}"#,
        ] {
            assert!(
                matches!(ok(body), Err(QueryError::Malformed(_))),
                "{body}: {:?}",
                ok(body)
            );
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(ok(&deep), Err(QueryError::Malformed(_))));
    }

    #[test]
    fn errors_from_prometheus_are_quoted_escaped_and_short() {
        let refused = parse_instant(
            400,
            br#"{"status":"error","errorType":"bad_data","error":"parse error: unexpected \u001b"}"#,
        );
        assert_eq!(
            refused,
            Err(QueryError::Refused {
                kind: "bad_data".into(),
                message: "parse error: unexpected \\u{1b}".into()
            })
        );
        let long = "x".repeat(10_000);
        match parse_instant(502, long.as_bytes()) {
            Err(QueryError::Http {
                status: 502,
                message,
            }) => {
                assert!(message.chars().count() <= MAX_MESSAGE_CHARS + 1)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn only_http_or_https_urls_with_a_host() {
        let t = Duration::from_secs(1);
        assert!(Prometheus::new("http://127.0.0.1:9090/", t).is_ok());
        assert!(Prometheus::new("https://prom.example.com", t).is_ok());
        assert!(Prometheus::new("https://", t).is_err());
        assert!(Prometheus::new("ftp://x", t).is_err());
        assert!(Prometheus::new("http://", t).is_err());
        assert!(Prometheus::new("http://a b", t).is_err());
    }
}
