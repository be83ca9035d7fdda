//! Why a file or SQLite operation failed, in both languages: the system and SQLite speak
//! English only, and their words must not end up inside a Chinese sentence.

use crate::lang::Lang;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    en: String,
    zh: String,
}

impl Reason {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Reason {
        Reason {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// A system error: English keeps the system's own words, Chinese says what they mean.
    pub fn io(e: &std::io::Error) -> Reason {
        use std::io::ErrorKind as K;
        let zh = match e.kind() {
            K::NotFound => "文件或文件夹不存在",
            K::PermissionDenied => "没有权限",
            K::AlreadyExists => "文件已存在",
            K::IsADirectory => "这是一个文件夹",
            K::NotADirectory => "路径中有一段不是文件夹",
            K::ReadOnlyFilesystem => "磁盘是只读的",
            K::StorageFull => "磁盘已满",
            K::FileTooLarge => "文件超过了系统允许的大小",
            K::QuotaExceeded => "超出了磁盘配额",
            K::InvalidFilename => "文件名无效",
            K::Interrupted => "操作被打断",
            K::TimedOut => "等待超时",
            K::ResourceBusy => "文件正被占用",
            _ => "读写文件出错",
        };
        Reason::new(e.to_string(), zh)
    }

    /// An SQLite error.
    pub fn sqlite(e: &rusqlite::Error) -> Reason {
        use rusqlite::ErrorCode as C;
        let zh = match e.sqlite_error_code() {
            Some(C::PermissionDenied) => "没有访问权限",
            Some(C::DatabaseBusy) => "数据库正被其他程序占用",
            Some(C::DatabaseLocked) => "数据库被锁定",
            Some(C::OutOfMemory) => "内存不足",
            Some(C::ReadOnly) => "数据库只能读、不能写",
            Some(C::OperationInterrupted | C::OperationAborted) => "操作被中止",
            Some(C::SystemIoFailure) => "读写磁盘出错",
            Some(C::DatabaseCorrupt) => "文件内容已损坏",
            Some(C::DiskFull) => "磁盘已满",
            Some(C::CannotOpen) => "无法打开文件",
            Some(C::FileLockingProtocolFailed) => "文件加锁失败",
            Some(C::SchemaChanged) => "数据结构在读取时被改动",
            Some(C::TooBig) => "数据过大",
            Some(C::ConstraintViolation) => "数据不符合约束",
            Some(C::TypeMismatch) => "数据类型不符",
            Some(C::NoLargeFileSupport) => "系统不支持大文件",
            Some(C::NotADatabase) => "不是数据库文件",
            Some(_) => "SQLite 内部错误",
            None => "读取数据出错",
        };
        Reason::new(e.to_string(), zh)
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_reasons_carry_no_english() {
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let sqlite = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            Some("attempt to write a readonly database".into()),
        );
        for r in [Reason::io(&io), Reason::sqlite(&sqlite)] {
            assert!(
                !r.text(Lang::Zh).chars().any(|c| c.is_ascii_alphabetic()),
                "{r:?}"
            );
            assert!(!r.text(Lang::En).is_empty());
        }
        assert_eq!(Reason::io(&io).text(Lang::Zh), "没有权限");
    }
}
