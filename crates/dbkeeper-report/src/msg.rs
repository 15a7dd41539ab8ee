//! Labels of the report crate's tables.

dbkeeper_core::catalogue! {
    FIELD = "report.field" { en: "field", zh: "项目" }
    VALUE = "report.value" { en: "value", zh: "值" }
    TARGET = "report.target" { en: "target", zh: "目标" }
    PRODUCT = "report.product" { en: "product", zh: "产品" }
    VERSION = "report.version" { en: "version", zh: "版本" }
    ROLE = "report.role" { en: "role", zh: "角色" }
    ROLE_PRIMARY = "report.role_primary" { en: "primary", zh: "主库" }
    ROLE_REPLICA = "report.role_replica" { en: "replica", zh: "从库" }
    STARTED = "report.started" { en: "started", zh: "启动时间" }
    UPTIME = "report.uptime" { en: "uptime", zh: "运行时长" }
    DATA_DIR = "report.data_dir" { en: "data directory", zh: "数据目录" }
    ENCODING = "report.encoding" { en: "encoding", zh: "字符集" }
    COLLATION = "report.collation" { en: "collation", zh: "排序规则" }
    TOTAL_SIZE = "report.total_size" { en: "total size", zh: "总大小" }
    HOST = "report.host" { en: "host", zh: "主机" }
    CPUS = "report.cpus" { en: "CPUs", zh: "CPU 核数" }
    MEMORY = "report.memory" { en: "memory", zh: "内存" }
    DISK = "report.disk" { en: "data disk free / total", zh: "数据盘 可用 / 总量" }
    DATABASE = "report.database" { en: "database", zh: "数据库" }
    SIZE = "report.size" { en: "size", zh: "大小" }
    SETTING = "report.setting" { en: "setting", zh: "参数" }
    NAME = "report.name" { en: "name", zh: "名称" }
    ENGINE = "report.engine" { en: "engine", zh: "引擎" }
    ADDRESS = "report.address" { en: "address", zh: "地址" }
    USER = "report.user" { en: "user", zh: "用户" }
    TLS = "report.tls" { en: "TLS", zh: "TLS" }
    PASSWORD = "report.password" { en: "password from", zh: "密码来源" }
    TAGS = "report.tags" { en: "tags", zh: "标签" }
    DESCRIPTION = "report.description" { en: "description", zh: "说明" }
    NONE = "report.none" { en: "none", zh: "无" }
    UNKNOWN = "report.unknown" { en: "unknown", zh: "未知" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
