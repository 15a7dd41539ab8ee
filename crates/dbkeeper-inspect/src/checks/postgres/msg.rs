//! Messages shared by the PostgreSQL checks (why a probe cannot run here). Each area module
//! holds its checks' own titles, remediations and summaries.

dbkeeper_core::catalogue! {
    PGSS_NOT_LOADED = "inspect.pg.pgss_not_loaded" {
        en: "pg_stat_statements is not in shared_preload_libraries: statement statistics are not collected",
        zh: "pg_stat_statements 不在 shared_preload_libraries 中：未采集 SQL 语句统计"
    }
    PGSS_NOT_CREATED = "inspect.pg.pgss_not_created" {
        en: "pg_stat_statements is loaded but not created in database {database} (CREATE EXTENSION pg_stat_statements)",
        zh: "pg_stat_statements 已加载，但未在数据库 {database} 中创建（CREATE EXTENSION pg_stat_statements）"
    }
    NEEDS_SUPERUSER = "inspect.pg.needs_superuser" {
        en: "needs a superuser; `{user}` is not one (pg_authid, pg_hba_file_rules and pg_file_settings are readable by superusers only)",
        zh: "需要超级用户；`{user}` 不是超级用户（pg_authid、pg_hba_file_rules、pg_file_settings 仅超级用户可读）"
    }
    NEEDS_MONITOR = "inspect.pg.needs_monitor" {
        en: "needs pg_monitor or a superuser; `{user}` has neither (GRANT pg_monitor TO {user})",
        zh: "需要 pg_monitor 角色或超级用户；`{user}` 都没有（GRANT pg_monitor TO {user}）"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
