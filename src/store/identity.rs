//! Who a record belongs to: the site (the committee whose laptop keeps the file) and a
//! globally unique id for every meeting, so that files from a whole district can be combined.
//!
//! The site is not part of any meeting's log: it is one row in its own table, written once.
//! Changing it afterwards is refused, because the district keys every imported meeting by
//! the site's code: a file whose code changed would show up as a second committee with the
//! same meetings.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Store, StoreError};
use crate::domain::model::Millis;
use crate::lang::Lang;

/// The committee a database belongs to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Site {
    /// E.g. the committee's statistical area code (统计用区划代码), or a generated one.
    pub code: String,
    pub name: String,
    /// The sub-district (街道) it belongs to.
    pub district: Option<String>,
}

/// Why a site could not be set.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("the site is already set to {0} {1}")]
    AlreadySet(String, String),
    #[error("the site code {0:?} is not usable")]
    BadCode(String),
    #[error("the site needs a name")]
    NoName,
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl SiteError {
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            SiteError::AlreadySet(code, name) if zh => format!(
                "本数据库已登记为 {code}（{name}），不能更改：街道按此代码合并各社区的记录，改了代码会被当成另一个社区；如确需更改，请新建数据库"
            ),
            SiteError::AlreadySet(code, name) => format!(
                "This database is already registered as {code} ({name}) and cannot be changed: the district combines records by this code, and a new code would count as another committee; start a new database if it really must change"
            ),
            SiteError::BadCode(code) if zh => format!(
                "社区代码 \"{code}\" 不可用：请用 1 到 40 个字母、数字或 - _ . 组成（例如统计用区划代码 110105001001）"
            ),
            SiteError::BadCode(code) => format!(
                "The site code \"{code}\" cannot be used: write 1 to 40 letters, digits or - _ . (such as the statistical area code 110105001001)"
            ),
            SiteError::NoName if zh => "请用 --name 写明社区（居委会）名称".into(),
            SiteError::NoName => "Give the committee's name with --name".into(),
            SiteError::Store(e) => e.describe(lang),
        }
    }
}

/// What `site set` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SiteSet {
    Written(Site),
    /// The same site was set before: nothing changed.
    Unchanged(Site),
}

/// Whether a code can key a committee: short, printable, no spaces.
pub fn valid_code(code: &str) -> bool {
    (1..=40).contains(&code.chars().count())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A code for a committee that has none to hand.
pub fn generated_code(at: Millis) -> String {
    let uid = new_uid(at);
    format!("site-{}", &uid.simple().to_string()[20..])
}

/// A fresh meeting id: a UUIDv7, which sorts by the time the meeting was opened.
pub fn new_uid(at: Millis) -> uuid::Uuid {
    let ms = u64::try_from(at).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        ms / 1000,
        u32::try_from(ms % 1000).unwrap_or(0) * 1_000_000,
    );
    uuid::Uuid::new_v7(ts)
}

/// The id of a meeting opened before ids were kept: a UUIDv7 at the meeting's opening time
/// whose other bits come from the hash of its first log entry, so it is the same every time
/// the file (or any copy of it) is read, and the file needs no rewrite.
pub fn derived_uid(first_hash: &str, at: Millis) -> String {
    let digest = Sha256::digest(format!("yishi meeting uid\u{1f}{first_hash}").as_bytes());
    let mut bytes = [0u8; 10];
    bytes.copy_from_slice(&digest[..10]);
    uuid::Builder::from_unix_timestamp_millis(u64::try_from(at).unwrap_or(0), &bytes)
        .into_uuid()
        .to_string()
}

pub(super) fn read_site(conn: &Connection) -> Result<Option<Site>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT code, name, district FROM site WHERE id = 1",
            [],
            |r| {
                Ok(Site {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    district: r.get(2)?,
                })
            },
        )
        .optional()?)
}

impl Store {
    /// The committee this database belongs to, if it was set.
    pub fn site(&self) -> Result<Option<Site>, StoreError> {
        read_site(&self.conn)
    }

    /// Registers the committee, once: setting the same again is harmless, another is refused.
    pub fn set_site(&mut self, site: Site, at: Millis) -> Result<SiteSet, SiteError> {
        if !valid_code(&site.code) {
            return Err(SiteError::BadCode(site.code));
        }
        if site.name.trim().is_empty() {
            return Err(SiteError::NoName);
        }
        let site = Site {
            name: site.name.trim().to_string(),
            district: site
                .district
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            ..site
        };
        self.writable()?;
        let at_text = super::log::readable_time(at, None);
        let outcome = self.with_write(|tx| {
            if let Some(old) = read_site(tx)? {
                return Ok(Err(old));
            }
            tx.execute(
                "INSERT INTO site (id, code, name, district, set_at) VALUES (1, ?1, ?2, ?3, ?4)",
                params![site.code, site.name, site.district, at_text],
            )?;
            Ok(Ok(()))
        })?;
        match outcome {
            Ok(()) => Ok(SiteSet::Written(self.site()?.unwrap_or(site))),
            Err(old) if old == site => Ok(SiteSet::Unchanged(old)),
            Err(old) => Err(SiteError::AlreadySet(old.code, old.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let a = derived_uid("ab12", 1_764_000_000_000);
        assert_eq!(a, derived_uid("ab12", 1_764_000_000_000));
        assert_ne!(a, derived_uid("ab13", 1_764_000_000_000));
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        let (secs, _) = parsed.get_timestamp().unwrap().to_unix();
        assert_eq!(secs, 1_764_000_000);
    }

    #[test]
    fn codes() {
        assert!(valid_code("110105001001"));
        assert!(valid_code("xfl-3"));
        assert!(!valid_code(""));
        assert!(!valid_code("幸福里"));
        assert!(!valid_code("a b"));
        assert!(valid_code(&generated_code(1_764_000_000_000)));
    }
}
